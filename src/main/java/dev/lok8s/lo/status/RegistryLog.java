package dev.lok8s.lo.status;

import dev.lok8s.lo.store.StoreException;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the event log knows about registries and who uses a network, read from the projection
 * tables ({@code registries}, {@code networks}, {@code network_users}, {@code projects}).
 */
public final class RegistryLog {

    /** A registry as the log last recorded it. */
    public record LoggedRegistry(String container, String role, String scope, String project, String network,
                                 String ip, String state, String configHash) {
    }

    private final DataSource dataSource;
    private final String machineId;

    /** What the log knows about one machine's registries and networks (a team's store holds several). */
    public RegistryLog(DataSource dataSource, String machineId) {
        this.dataSource = dataSource;
        this.machineId = machineId;
    }

    /** Every registry the log records as running or stopped (removed ones are gone), by container. */
    public Map<String, LoggedRegistry> registries() {
        Map<String, LoggedRegistry> rows = new LinkedHashMap<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT container, role, scope, project, network, ip, state, "
                     + "config_hash FROM registries WHERE machine_id = ? ORDER BY container")) {
            ps.setString(1, machineId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.put(rs.getString(1), new LoggedRegistry(rs.getString(1), rs.getString(2), rs.getString(3),
                            rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8)));
                }
            }
        } catch (SQLException e) {
            throw new StoreException("event store: cannot read registries: " + e.getMessage(), e);
        }
        return rows;
    }

    /**
     * Projects that use a network: those whose nodes the log records as connected to it, and the
     * project recorded as having created or adopted it while that project still exists.
     */
    public Set<String> usersOf(String network) {
        Set<String> users = new TreeSet<>();
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT DISTINCT project FROM network_users WHERE machine_id = ? AND network = ? AND project IS NOT NULL")) {
                ps.setString(1, machineId);
                ps.setString(2, network);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        users.add(rs.getString(1));
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT n.project FROM networks n JOIN projects p "
                    + "ON p.machine_id = n.machine_id AND p.name = n.project WHERE n.machine_id = ? AND n.name = ?")) {
                ps.setString(1, machineId);
                ps.setString(2, network);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        users.add(rs.getString(1));
                    }
                }
            }
        } catch (SQLException e) {
            throw new StoreException("event store: cannot read the users of network " + network + ": "
                    + e.getMessage(), e);
        }
        return users;
    }
}
