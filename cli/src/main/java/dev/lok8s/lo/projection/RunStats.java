package dev.lok8s.lo.projection;

import dev.lok8s.lo.store.StoreException;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.EnumMap;
import java.util.Map;

/**
 * Runs counted by recorded status, from the {@code runs} read model. (Their wall times are counted from
 * events by the metrics, per attempt: a resumed run rewrites its row.)
 */
public final class RunStats {

    /** How many, and their seconds summed. */
    public record Totals(long count, double seconds) {
        public static final Totals NONE = new Totals(0, 0);

        public Totals plus(Totals other) {
            return new Totals(count + other.count, seconds + other.seconds);
        }
    }

    /** @param runs runs by recorded status (a run whose process died is recorded as running) */
    public record Counts(Map<RunStatus, Long> runs) {
    }

    private final DataSource dataSource;

    RunStats(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public Counts read() {
        Map<RunStatus, Long> runs = new EnumMap<>(RunStatus.class);
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("SELECT status, COUNT(*) FROM runs GROUP BY status");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    runs.put(RunStatus.valueOf(rs.getString(1)), rs.getLong(2));
                }
            }
        } catch (SQLException e) {
            throw new StoreException("event store: cannot count runs: " + e.getMessage(), e);
        }
        return new Counts(runs);
    }
}
