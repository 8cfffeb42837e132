package dev.lok8s.lo.projection;

import dev.lok8s.lo.spec.Cidr;
import dev.lok8s.lo.spec.ClusterSpec;
import dev.lok8s.lo.store.StoreException;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Subnet conflicts between a spec and what the log says exists on this machine, answered from the
 * {@code networks} and {@code projects} read models without asking Docker. Only this machine's rows
 * count: another machine's networks live on another Docker Engine (a team's store holds both).
 */
public class SubnetMismatches {

    private final DataSource dataSource;
    private final String machineId;

    /** As no machine in particular ({@link dev.lok8s.lo.machine.Machine#unnamed()}): tools and tests. */
    public SubnetMismatches(DataSource dataSource) {
        this(dataSource, dev.lok8s.lo.machine.Machine.UNNAMED_ID);
    }

    public SubnetMismatches(DataSource dataSource, String machineId) {
        this.dataSource = dataSource;
        this.machineId = machineId;
    }

    public List<SubnetMismatch> check(ClusterSpec spec) {
        List<SubnetMismatch> findings = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            if (spec.registries().shared()) {
                String name = spec.registries().sharedNetwork().name();
                Cidr expected = spec.registries().sharedNetwork().cidr();
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT cidr FROM networks WHERE machine_id = ? AND name = ?")) {
                    ps.setString(1, machineId);
                    ps.setString(2, name);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next() && rs.getString(1) != null && !sameCidr(rs.getString(1), expected)) {
                            findings.add(new SubnetMismatch(SubnetMismatch.Kind.SHARED_NETWORK_SUBNET,
                                    "error: registry network '" + name + "' exists with subnet " + rs.getString(1)
                                            + ", expected " + expected,
                                    "fix: align spec.registries.shared.network.cidr with the existing network,"
                                            + " or run: lo registry clean --shared && lo provision " + spec.domain(),
                                    rs.getString(1), null));
                        }
                    }
                }
            }
            Cidr subnet = spec.network().cidr();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT name, domain, subnet FROM projects WHERE machine_id = ? AND name <> ? ORDER BY name")) {
                ps.setString(1, machineId);
                ps.setString(2, spec.name());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String other = rs.getString("subnet");
                        if (other != null && overlaps(other, subnet)) {
                            String project = rs.getString("name");
                            String domain = rs.getString("domain");
                            findings.add(new SubnetMismatch(SubnetMismatch.Kind.PROJECT_SUBNET_IN_USE,
                                    "error: project subnet " + subnet + " is already used by project '" + project
                                            + "' (domain " + domain + ", subnet " + other + ")",
                                    "fix: choose another slot in spec.network.cidr, or destroy project '" + project
                                            + "' (" + domain + ") first", other, project));
                        }
                    }
                }
            }
        } catch (SQLException e) {
            throw new StoreException("event store: cannot check subnets: " + e.getMessage(), e);
        }
        return findings;
    }

    private static boolean sameCidr(String recorded, Cidr expected) {
        try {
            return Cidr.parse(recorded).equals(expected);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static boolean overlaps(String recorded, Cidr subnet) {
        try {
            return Cidr.parse(recorded).overlaps(subnet);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
