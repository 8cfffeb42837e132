package dev.lok8s.lo.projection;

import dev.lok8s.lo.plan.Scope;
import dev.lok8s.lo.store.StoreException;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Projects and the networks they use, and networks and the projects that use them, from the
 * {@code projects}, {@code networks} and {@code network_users} read models. A project "uses" a
 * network when it owns it (its project network) or one of its nodes is connected to it.
 */
public class ProjectNetworks {

    /** A network as a project sees it: which of the project's nodes are attached. */
    public record NetworkRef(String name, String cidr, Scope scope, List<String> nodes) {
    }

    /**
     * @param slot    third octet of the project subnet; null when the project has no recorded project network
     * @param network the project's own network; null when none is recorded
     */
    public record ProjectView(String name, String domain, Integer slot, String subnet, String network,
                              List<NetworkRef> networks) {
    }

    public record NodeView(String node, String project, String domain) {
    }

    /**
     * @param project the project that owns it; null for the shared network
     * @param projects every project using it, the owner included, sorted
     */
    public record NetworkView(String name, String cidr, Scope scope, String project, String domain,
                              Instant lastChange, List<String> projects, List<NodeView> nodes) {
    }

    private record ProjectRow(String name, String domain, Integer slot, String subnet, String network) {
    }

    private record NetworkRow(String name, String cidr, Scope scope, String project, String domain,
                              Instant lastChange) {
    }

    private record UserRow(String network, NodeView node) {
    }

    private record Tables(List<ProjectRow> projects, List<NetworkRow> networks, List<UserRow> users) {
    }

    private final DataSource dataSource;
    private final String machineId;

    /** One machine's projects and networks (those of the machine whose Docker Engine they are on). */
    public ProjectNetworks(DataSource dataSource, String machineId) {
        this.dataSource = dataSource;
        this.machineId = machineId;
    }

    /** Every project the read models know, by name. */
    public List<ProjectView> projects() {
        Tables t = load();
        Map<String, ProjectRow> byName = new TreeMap<>();
        t.projects.forEach(p -> byName.put(p.name, p));
        for (NetworkRow n : t.networks) {
            if (n.project != null) {
                byName.putIfAbsent(n.project, new ProjectRow(n.project, n.domain, null, null, null));
            }
        }
        for (UserRow u : t.users) {
            if (u.node.project() != null) {
                byName.putIfAbsent(u.node.project(), new ProjectRow(u.node.project(), u.node.domain(), null, null, null));
            }
        }
        List<ProjectView> out = new ArrayList<>();
        for (ProjectRow p : byName.values()) {
            out.add(view(p, t));
        }
        return out;
    }

    public Optional<ProjectView> project(String name) {
        return projects().stream().filter(p -> p.name().equals(name)).findFirst();
    }

    /** Every recorded network, by name, with the projects using it. */
    public List<NetworkView> networks() {
        Tables t = load();
        List<NetworkView> out = new ArrayList<>();
        for (NetworkRow n : t.networks) {
            List<NodeView> nodes = t.users.stream().filter(u -> n.name.equals(u.network)).map(UserRow::node)
                    .sorted(Comparator.comparing(NodeView::node)).toList();
            TreeSet<String> projects = new TreeSet<>();
            if (n.project != null) {
                projects.add(n.project);
            }
            nodes.stream().map(NodeView::project).filter(p -> p != null).forEach(projects::add);
            out.add(new NetworkView(n.name, n.cidr, n.scope, n.project, n.domain, n.lastChange,
                    List.copyOf(projects), nodes));
        }
        return out;
    }

    public Optional<NetworkView> network(String name) {
        return networks().stream().filter(n -> n.name().equals(name)).findFirst();
    }

    private static ProjectView view(ProjectRow p, Tables t) {
        TreeMap<String, List<String>> nodesByNetwork = new TreeMap<>();
        if (p.network != null) {
            nodesByNetwork.put(p.network, new ArrayList<>());
        }
        for (NetworkRow n : t.networks) {
            if (p.name.equals(n.project)) {
                nodesByNetwork.computeIfAbsent(n.name, k -> new ArrayList<>());
            }
        }
        for (UserRow u : t.users) {
            if (p.name.equals(u.node.project())) {
                nodesByNetwork.computeIfAbsent(u.network, k -> new ArrayList<>()).add(u.node.node());
            }
        }
        List<NetworkRef> refs = new ArrayList<>();
        nodesByNetwork.forEach((network, nodes) -> {
            NetworkRow row = t.networks.stream().filter(n -> n.name.equals(network)).findFirst().orElse(null);
            refs.add(new NetworkRef(network, row == null ? null : row.cidr, row == null ? null : row.scope,
                    nodes.stream().sorted().toList()));
        });
        return new ProjectView(p.name, p.domain, p.slot, p.subnet, p.network, refs);
    }

    private ResultSet query(PreparedStatement ps) throws SQLException {
        ps.setString(1, machineId);
        return ps.executeQuery();
    }

    private Tables load() {
        try (Connection c = dataSource.getConnection()) {
            List<ProjectRow> projects = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT name, domain, slot, subnet, network FROM projects WHERE machine_id = ? ORDER BY name");
                 ResultSet rs = query(ps)) {
                while (rs.next()) {
                    int slot = rs.getInt("slot");
                    projects.add(new ProjectRow(rs.getString("name"), rs.getString("domain"),
                            rs.wasNull() ? null : slot, rs.getString("subnet"), rs.getString("network")));
                }
            }
            List<NetworkRow> networks = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT name, cidr, scope, project, domain, last_change FROM networks WHERE machine_id = ? ORDER BY name");
                 ResultSet rs = query(ps)) {
                while (rs.next()) {
                    OffsetDateTime t = rs.getObject("last_change", OffsetDateTime.class);
                    networks.add(new NetworkRow(rs.getString("name"), rs.getString("cidr"), Scope.ofLabel(rs.getString("scope")),
                            rs.getString("project"), rs.getString("domain"), t == null ? null : t.toInstant()));
                }
            }
            List<UserRow> users = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT network, node, project, domain FROM network_users WHERE machine_id = ? ORDER BY network, node");
                 ResultSet rs = query(ps)) {
                while (rs.next()) {
                    users.add(new UserRow(rs.getString("network"),
                            new NodeView(rs.getString("node"), rs.getString("project"), rs.getString("domain"))));
                }
            }
            return new Tables(projects, networks, users);
        } catch (SQLException e) {
            throw new StoreException("event store: cannot read projects and networks: " + e.getMessage(), e);
        }
    }
}
