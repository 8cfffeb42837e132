package floor;

import io.agroal.api.AgroalDataSource;
import jakarta.inject.Inject;
import picocli.CommandLine.Command;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

@Command(name = "floor", mixinStandardHelpOptions = true, description = "The start-up floor: picocli + H2 + Agroal, reading one row.")
public class Floor implements Runnable {

    @Inject
    AgroalDataSource dataSource;

    @Override
    public void run() {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS floor_row (id INT PRIMARY KEY, name VARCHAR(20))");
            s.execute("MERGE INTO floor_row KEY (id) VALUES (1, 'floor')");
            try (ResultSet rs = s.executeQuery("SELECT name FROM floor_row WHERE id = 1")) {
                rs.next();
                System.out.println("hello " + rs.getString(1));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
