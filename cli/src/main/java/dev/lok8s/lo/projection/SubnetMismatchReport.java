package dev.lok8s.lo.projection;

import dev.lok8s.lo.events.SubnetMismatchDetected;
import dev.lok8s.lo.spec.Cidr;
import dev.lok8s.lo.spec.ClusterSpec;
import dev.lok8s.lo.spec.NetworkSpec;
import dev.lok8s.lo.spec.RegistriesSpec;
import dev.lok8s.lo.store.EventStore;
import dev.lok8s.lo.store.HistoryPage;
import dev.lok8s.lo.store.HistoryQuery;
import dev.lok8s.lo.store.StoreException;
import dev.lok8s.lo.store.StoredEvent;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Subnet mismatches, current and historical.
 * <ul>
 * <li><b>historical</b>: every {@link SubnetMismatchDetected} in the log, newest first (what provisions
 * were refused for).</li>
 * <li><b>current</b>: what {@link SubnetMismatches#check} says today for each known project, with a spec
 * rebuilt from the record: the project's subnet (its project network, else the subnet of its last
 * outstanding detection) and, when it has an <em>outstanding</em> shared-network detection, the shared
 * network and cidr it asked for. A detection is outstanding when no run of that project completed after
 * it. So a refusal that still applies is current; one fixed by a later successful provision, or by
 * removing the network, is only historical. A project whose subnet was never recorded is checked only
 * for the shared network.</li>
 * </ul>
 */
public class SubnetMismatchReport {

    /** One {@code SubnetMismatchDetected} event. */
    public record Detection(long position, Instant recordedAt, UUID runId, String domain, String project,
                            String network, String existingCidr, String expectedCidr, String otherProject,
                            String host, String machineId) {
    }

    /**
     * @param detectedAt position of the outstanding detection this finding confirms; null when the read
     *                   models alone show it (two recorded projects on overlapping subnets)
     */
    public record Finding(String project, String domain, SubnetMismatch.Kind kind, String error, String fix,
                          Long detectedAt) {
    }

    public record Historical(List<Detection> detections, Long next) {
    }

    private record ProjectRow(String name, String domain, int slot, String network, String subnet) {
    }

    private final EventStore store;
    private final DataSource dataSource;
    private final SubnetMismatches mismatches;

    SubnetMismatchReport(EventStore store, DataSource dataSource, SubnetMismatches mismatches) {
        this.store = store;
        this.dataSource = dataSource;
        this.mismatches = mismatches;
    }

    /** Detections newest first, a page of {@code limit} before {@code before} (null: from the newest). */
    public Historical historical(String domain, int limit, Long before) {
        HistoryPage page = store.query(new HistoryQuery(domain, "SubnetMismatchDetected", null, null, null, limit,
                before));
        return new Historical(page.events().stream().map(SubnetMismatchReport::detection).toList(), page.next());
    }

    /** This machine's current findings (the store's machine: another machine's networks are not here to check). */
    public List<Finding> current() {
        String machine = store.machine().id();
        Map<String, ProjectRow> projects = new TreeMap<>();
        Map<String, String> sharedNetworks = new HashMap<>();
        Map<String, Long> lastCompleted = new HashMap<>();
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT name, domain, slot, network, subnet FROM projects WHERE machine_id = ?")) {
                ps.setString(1, machine);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        projects.put(rs.getString("name"), new ProjectRow(rs.getString("name"), rs.getString("domain"),
                                rs.getInt("slot"), rs.getString("network"), rs.getString("subnet")));
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT name, cidr FROM networks WHERE machine_id = ? AND scope = 'shared'")) {
                ps.setString(1, machine);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        sharedNetworks.put(rs.getString(1), rs.getString(2));
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT project, MAX(last_position) FROM runs"
                    + " WHERE machine_id = ? AND status = 'completed' AND project IS NOT NULL GROUP BY project")) {
                ps.setString(1, machine);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        lastCompleted.put(rs.getString(1), rs.getLong(2));
                    }
                }
            }
        } catch (SQLException e) {
            throw new StoreException("event store: cannot read projects: " + e.getMessage(), e);
        }

        // outstanding detections, newest first; the first per project and kind wins
        Map<String, Detection> sharedDetection = new HashMap<>();
        Map<String, Detection> projectDetection = new HashMap<>();
        Map<String, String> detectionDomain = new TreeMap<>();
        Long before = null;
        do {
            HistoryPage events = store.query(new HistoryQuery(null, "SubnetMismatchDetected", null, null, null, 1_000,
                    before, new HistoryQuery.MachineFilter(List.of(machine))));
            Historical page = new Historical(events.events().stream().map(SubnetMismatchReport::detection).toList(),
                    events.next());
            for (Detection d : page.detections()) {
                if (d.project() == null || d.position() < lastCompleted.getOrDefault(d.project(), 0L)) {
                    continue;
                }
                detectionDomain.putIfAbsent(d.project(), d.domain());
                (sharedNetworks.containsKey(d.network()) ? sharedDetection : projectDetection)
                        .putIfAbsent(d.project(), d);
            }
            before = page.next();
        } while (before != null);

        TreeMap<String, String> names = new TreeMap<>();
        projects.forEach((name, row) -> names.put(name, row.domain()));
        detectionDomain.forEach(names::putIfAbsent);

        List<Finding> findings = new ArrayList<>();
        for (var entry : names.entrySet()) {
            String project = entry.getKey();
            ProjectRow row = projects.get(project);
            Detection shared = sharedDetection.get(project);
            Detection own = projectDetection.get(project);
            Cidr subnet = parse(row != null && row.subnet() != null ? row.subnet() : own == null ? null : own.expectedCidr());
            Cidr sharedCidr = shared == null ? null : parse(shared.expectedCidr());
            if (subnet == null && sharedCidr == null) {
                continue;
            }
            String domain = row != null && row.domain() != null ? row.domain() : entry.getValue();
            String networkName = row != null && row.network() != null ? row.network() : project;
            ClusterSpec spec = new ClusterSpec(null, project, domain, subnet == null ? 0 : subnet.thirdOctet(),
                    new NetworkSpec(networkName, subnet == null ? sharedCidr : subnet),
                    new RegistriesSpec(sharedCidr != null,
                            new NetworkSpec(shared == null ? RegistriesSpec.DEFAULT_SHARED_NETWORK : shared.network(),
                                    sharedCidr == null ? Cidr.parse(RegistriesSpec.DEFAULT_SHARED_CIDR) : sharedCidr),
                            List.of(), false, null),
                    "kind", null, null);
            for (SubnetMismatch m : mismatches.check(spec)) {
                boolean isShared = m.kind() == SubnetMismatch.Kind.SHARED_NETWORK_SUBNET;
                if (!isShared && subnet == null) {
                    continue; // the project's own subnet is unknown: only the shared network was checked
                }
                Detection source = isShared ? shared : own;
                findings.add(new Finding(project, domain, m.kind(), m.error(), m.fix(),
                        source == null ? null : source.position()));
            }
        }
        return findings;
    }

    private static Cidr parse(String cidr) {
        if (cidr == null) {
            return null;
        }
        try {
            return Cidr.parse(cidr);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static Detection detection(StoredEvent e) {
        SubnetMismatchDetected d = (SubnetMismatchDetected) e.event();
        return new Detection(e.position(), e.recordedAt(), e.metadata() == null ? null : e.metadata().runId(),
                d.domain(), d.project(), d.network(), d.existingCidr(), d.expectedCidr(), d.otherProject(),
                e.metadata() == null ? null : e.metadata().host(), e.metadata() == null ? null : e.metadata().machineId());
    }
}
