package dev.lok8s.lo.projection;

import dev.lok8s.lo.events.SubnetMismatchDetected;
import dev.lok8s.lo.failure.Reason;
import dev.lok8s.lo.plan.SubnetMismatch;
import dev.lok8s.lo.spec.Cidr;
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
 * <li><b>current</b>: for each project of this machine, the mismatches its record shows today, from the
 * read models alone (nothing is replayed): the open mismatches ({@link OpenMismatches}: detected, and
 * neither fixed by a later completed run of the project nor closed by removing the network), checked
 * against the {@code networks} and {@code projects} read models by {@link SubnetMismatches#find}. The
 * project's subnet is its project network's, else the one its newest open subnet-in-use detection
 * asked for; the shared network is checked when the project has an open shared-network detection (its
 * newest), against the subnet it asked for. So a refusal that still applies is current; one fixed by a
 * later successful provision, or by removing the network, is only historical. Two recorded projects on
 * overlapping subnets are current without any detection.</li>
 * </ul>
 */
public class SubnetMismatchReport {

    /** One {@code SubnetMismatchDetected} event. */
    public record Detection(long position, Instant recordedAt, UUID runId, String domain, String project,
                            String network, String existingCidr, String expectedCidr, String otherProject,
                            String host, String machineId) {
    }

    /**
     * A current mismatch. {@code error} and {@code fix} are the two lines {@code lo provision} prints; the
     * facts follow.
     *
     * @param detectedAt position of the open detection this finding confirms; null when the read models
     *                   alone show it (two recorded projects on overlapping subnets)
     * @param network    the network the finding is about (the shared network, or the project's own)
     * @param existingCidr the subnet recorded: the shared network's, or the other project's
     * @param expectedCidr the subnet the project asked for
     * @param otherProject the project already using the subnet (PROJECT_SUBNET_IN_USE), else null
     */
    public record Finding(String project, String domain, SubnetMismatch.Kind kind, String error, String fix,
                          Long detectedAt, String network, String existingCidr, String expectedCidr,
                          String otherProject) {

        static Finding of(String project, SubnetMismatch m, Long detectedAt) {
            Reason reason = m.reason();
            return new Finding(project, m.domain(), m.kind(), Reason.errorLine(reason.message()),
                    Reason.fixLine(reason.fix()), detectedAt, m.network(),
                    m.existingCidr(), m.expectedCidr(), m.otherProject());
        }
    }

    public record Historical(List<Detection> detections, Long next) {
    }

    private record ProjectRow(String name, String domain, String network, String subnet) {
    }

    private final EventStore store;
    private final DataSource dataSource;

    SubnetMismatchReport(EventStore store, DataSource dataSource) {
        this.store = store;
        this.dataSource = dataSource;
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
        Map<String, String> networks = new HashMap<>();
        List<OpenMismatches.Open> open;
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT name, domain, network, subnet FROM projects WHERE machine_id = ? ORDER BY name")) {
                ps.setString(1, machine);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        projects.put(rs.getString("name"), new ProjectRow(rs.getString("name"), rs.getString("domain"),
                                rs.getString("network"), rs.getString("subnet")));
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT name, cidr FROM networks WHERE machine_id = ?")) {
                ps.setString(1, machine);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        networks.put(rs.getString(1), rs.getString(2));
                    }
                }
            }
            open = OpenMismatches.of(c, machine);
        } catch (SQLException e) {
            throw new StoreException("event store: cannot read subnet mismatches: " + e.getMessage(), e);
        }

        // the newest open detection per project and kind; the newest of either kind names the domain
        Map<String, OpenMismatches.Open> sharedDetection = new HashMap<>();
        Map<String, OpenMismatches.Open> projectDetection = new HashMap<>();
        Map<String, String> detectionDomain = new TreeMap<>();
        for (OpenMismatches.Open d : open) {
            detectionDomain.putIfAbsent(d.project(), d.domain());
            (d.kind() == SubnetMismatch.Kind.SHARED_NETWORK_SUBNET ? sharedDetection : projectDetection)
                    .putIfAbsent(d.project(), d);
        }

        TreeMap<String, String> names = new TreeMap<>();
        projects.forEach((name, row) -> names.put(name, row.domain()));
        detectionDomain.forEach(names::putIfAbsent);
        List<SubnetMismatches.RecordedProject> recorded = projects.values().stream()
                .map(p -> new SubnetMismatches.RecordedProject(p.name(), p.domain(), p.subnet())).toList();

        List<Finding> findings = new ArrayList<>();
        for (var entry : names.entrySet()) {
            String project = entry.getKey();
            ProjectRow row = projects.get(project);
            OpenMismatches.Open shared = sharedDetection.get(project);
            OpenMismatches.Open own = projectDetection.get(project);
            Cidr subnet = SubnetMismatches.parse(row != null && row.subnet() != null ? row.subnet()
                    : own == null ? null : own.expectedCidr());
            Cidr sharedCidr = shared == null ? null : SubnetMismatches.parse(shared.expectedCidr());
            if (subnet == null && sharedCidr == null) {
                continue;
            }
            String domain = row != null && row.domain() != null ? row.domain() : entry.getValue();
            String network = row != null && row.network() != null ? row.network()
                    : own != null && own.network() != null ? own.network() : project;
            var wanted = new SubnetMismatches.Wanted(project, domain, network, subnet,
                    sharedCidr == null ? null : shared.network(), sharedCidr);
            for (SubnetMismatch m : SubnetMismatches.find(wanted, sharedCidr == null ? null
                    : networks.get(shared.network()), recorded)) {
                OpenMismatches.Open source = m.kind() == SubnetMismatch.Kind.SHARED_NETWORK_SUBNET ? shared : own;
                findings.add(Finding.of(project, m, source == null ? null : source.detectedAt()));
            }
        }
        return findings;
    }

    private static Detection detection(StoredEvent e) {
        SubnetMismatchDetected d = (SubnetMismatchDetected) e.event();
        return new Detection(e.position(), e.recordedAt(), e.metadata() == null ? null : e.metadata().runId(),
                d.domain(), d.project(), d.network(), d.existingCidr(), d.expectedCidr(), d.otherProject(),
                e.metadata() == null ? null : e.metadata().host(), e.metadata() == null ? null : e.metadata().machineId());
    }
}
