package dev.lok8s.lo.projection;

import dev.lok8s.lo.machine.Machine;
import dev.lok8s.lo.plan.SubnetMismatch;
import dev.lok8s.lo.spec.Cidr;
import dev.lok8s.lo.spec.ClusterSpec;
import dev.lok8s.lo.store.StoreException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * Subnet conflicts between a spec and what the log says exists on this machine, answered from the
 * {@code networks} and {@code projects} read models without asking Docker. Only this machine's rows
 * count: another machine's networks live on another Docker Engine (a team's store holds both).
 */
public class SubnetMismatches {

    /** A project as the {@code projects} read model records it. */
    record RecordedProject(String name, String domain, String subnet) {
    }

    /**
     * What a spec asks for, as far as subnets go.
     *
     * @param subnet         the project subnet; null when unknown (only the shared network is checked)
     * @param sharedNetwork  the shared registry network's name; null when registries are not shared
     * @param sharedExpected the subnet the spec asks of it
     */
    record Wanted(String project, String domain, String projectNetwork, Cidr subnet, String sharedNetwork,
                  Cidr sharedExpected) {
    }

    private final DataSource dataSource;
    private final String machineId;

    /** As no machine in particular ({@link dev.lok8s.lo.machine.Machine#unnamed()}): tools and tests. */
    public SubnetMismatches(DataSource dataSource) {
        this(dataSource, Machine.UNNAMED_ID);
    }

    public SubnetMismatches(DataSource dataSource, String machineId) {
        this.dataSource = dataSource;
        this.machineId = machineId;
    }

    public List<SubnetMismatch> check(ClusterSpec spec) {
        boolean shared = spec.registries().shared();
        Wanted wanted = new Wanted(spec.name(), spec.domain(), spec.network().name(), spec.network().cidr(),
                shared ? spec.registries().sharedNetwork().name() : null,
                shared ? spec.registries().sharedNetwork().cidr() : null);
        String sharedRecorded = null;
        List<RecordedProject> projects = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            if (shared) {
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT cidr FROM networks WHERE machine_id = ? AND name = ?")) {
                    ps.setString(1, machineId);
                    ps.setString(2, wanted.sharedNetwork());
                    try (ResultSet rs = ps.executeQuery()) {
                        sharedRecorded = rs.next() ? rs.getString(1) : null;
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT name, domain, subnet FROM projects WHERE machine_id = ? AND name <> ? ORDER BY name")) {
                ps.setString(1, machineId);
                ps.setString(2, spec.name());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        projects.add(new RecordedProject(rs.getString("name"), rs.getString("domain"),
                                rs.getString("subnet")));
                    }
                }
            }
        } catch (SQLException e) {
            throw new StoreException("event store: cannot check subnets: " + e.getMessage(), e);
        }
        return find(wanted, sharedRecorded, projects);
    }

    /**
     * The conflicts of {@code wanted} with what is recorded: the shared network's recorded subnet (null
     * when the network is not recorded) and the projects, by name; the wanted project itself is skipped.
     */
    static List<SubnetMismatch> find(Wanted wanted, String sharedRecorded, List<RecordedProject> projects) {
        List<SubnetMismatch> findings = new ArrayList<>();
        if (wanted.sharedNetwork() != null && wanted.sharedExpected() != null && sharedRecorded != null
                && !sameCidr(sharedRecorded, wanted.sharedExpected())) {
            findings.add(new SubnetMismatch.SharedNetworkSubnet(wanted.domain(), wanted.sharedNetwork(), sharedRecorded,
                    wanted.sharedExpected().toString()));
        }
        if (wanted.subnet() != null) {
            for (RecordedProject other : projects) {
                if (!other.name().equals(wanted.project()) && other.subnet() != null
                        && overlaps(other.subnet(), wanted.subnet())) {
                    findings.add(new SubnetMismatch.ProjectSubnetInUse(wanted.domain(), wanted.projectNetwork(),
                            wanted.subnet().toString(), other.name(), other.domain(), other.subnet()));
                }
            }
        }
        return findings;
    }

    static Cidr parse(String cidr) {
        if (cidr == null) {
            return null;
        }
        try {
            return Cidr.parse(cidr);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static boolean sameCidr(String recorded, Cidr expected) {
        return expected.equals(parse(recorded));
    }

    private static boolean overlaps(String recorded, Cidr subnet) {
        Cidr parsed = parse(recorded);
        return parsed != null && parsed.overlaps(subnet);
    }
}
