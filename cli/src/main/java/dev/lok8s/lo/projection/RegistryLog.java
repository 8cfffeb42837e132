package dev.lok8s.lo.projection;

import dev.lok8s.lo.plan.Role;
import dev.lok8s.lo.plan.Scope;
import dev.lok8s.lo.store.StoreException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.sql.DataSource;

/**
 * What the event log knows about registries and who uses a network, read from the projection
 * tables ({@code registries}, {@code networks}, {@code network_users}, {@code projects}).
 */
public final class RegistryLog {

    /** A registry as the log last recorded it. */
    public record LoggedRegistry(String container, Role role, Scope scope, String project, String network,
                                 String ip, String state, String configHash) {
    }

    /**
     * A registry row with everything the log recorded about it, for a report without a spec.
     *
     * @param hostPort the loopback port it was published on; null for none (mirrors, registries started before
     *                 host ports)
     */
    public record RecordedRegistry(String container, Role role, Scope scope, String project, String domain,
                                   String network, String ip, String state, String upstream, String configHash,
                                   Integer hostPort) {
    }

    /** A project as the log records it: its own network and subnet (slot), null when it has none recorded. */
    public record RecordedProject(String name, String domain, Integer slot, String subnet, String network) {
    }

    /** A network as the log records it. */
    public record RecordedNetwork(String name, String cidr, Scope scope) {
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
                    rows.put(rs.getString(1), new LoggedRegistry(rs.getString(1), Role.ofLabel(rs.getString(2)),
                            Scope.ofLabel(rs.getString(3)),
                            rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8)));
                }
            }
        } catch (SQLException e) {
            throw new StoreException("event store: cannot read registries: " + e.getMessage(), e);
        }
        return rows;
    }

    /** Every registry row, by container. */
    public List<RecordedRegistry> recordedRegistries() {
        List<RecordedRegistry> rows = new ArrayList<>();
        query("SELECT container, role, scope, project, domain, network, ip, state, upstream, config_hash, host_port"
                + " FROM registries WHERE machine_id = ? ORDER BY container", rs -> {
            int port = rs.getInt(11);
            Integer hostPort = rs.wasNull() ? null : port;
            rows.add(new RecordedRegistry(rs.getString(1), Role.ofLabel(rs.getString(2)),
                    Scope.ofLabel(rs.getString(3)), rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7),
                    rs.getString(8), rs.getString(9), rs.getString(10), hostPort));
        });
        return rows;
    }

    /** Every project with a recorded network, and every project a recorded registry belongs to, by name. */
    public List<RecordedProject> recordedProjects() {
        Map<String, RecordedProject> rows = new TreeMap<>();
        query("SELECT name, domain, slot, subnet, network FROM projects WHERE machine_id = ?", rs -> {
            int slot = rs.getInt(3);
            Integer s = rs.wasNull() ? null : slot;
            rows.put(rs.getString(1), new RecordedProject(rs.getString(1), rs.getString(2), s, rs.getString(4),
                    rs.getString(5)));
        });
        query("SELECT DISTINCT project, domain FROM registries WHERE machine_id = ? AND scope = 'project' AND project IS NOT NULL",
                rs -> rows.putIfAbsent(rs.getString(1), new RecordedProject(rs.getString(1), rs.getString(2), null,
                        null, null)));
        return List.copyOf(rows.values());
    }

    /** Every recorded network, by name. */
    public Map<String, RecordedNetwork> recordedNetworks() {
        Map<String, RecordedNetwork> rows = new LinkedHashMap<>();
        query("SELECT name, cidr, scope FROM networks WHERE machine_id = ? ORDER BY name",
                rs -> rows.put(rs.getString(1), new RecordedNetwork(rs.getString(1), rs.getString(2),
                        Scope.ofLabel(rs.getString(3)))));
        return rows;
    }

    /** The networks the log records a project's nodes as connected to. */
    public Set<String> networksOf(String project) {
        Set<String> names = new TreeSet<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "SELECT DISTINCT network FROM network_users WHERE machine_id = ? AND project = ?")) {
            ps.setString(1, machineId);
            ps.setString(2, project);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
            }
        } catch (SQLException e) {
            throw new StoreException("event store: cannot read the networks of " + project + ": " + e.getMessage(), e);
        }
        return names;
    }

    private interface Row {
        void read(ResultSet rs) throws SQLException;
    }

    /** Runs {@code sql}, whose one parameter is this machine's id, and reads every row. */
    private void query(String sql, Row row) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, machineId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    row.read(rs);
                }
            }
        } catch (SQLException e) {
            throw new StoreException("event store: cannot read the recorded registries: " + e.getMessage(), e);
        }
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
