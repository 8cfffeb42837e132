package dev.lok8s.lo.projection;

import dev.lok8s.lo.events.SubnetMismatchDetected;
import dev.lok8s.lo.plan.SubnetMismatch;
import dev.lok8s.lo.store.StoredEvent;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static dev.lok8s.lo.projection.Projector.cut;
import static dev.lok8s.lo.projection.Projector.update;

/**
 * The {@code subnet_mismatches} read model: each machine's open subnet mismatches, kept by
 * {@link Projector} in the append's transaction.
 * <ul>
 * <li><b>Opened</b> by a {@link SubnetMismatchDetected} of a project (one without a project is only
 * history). Its kind is {@link SubnetMismatch.Kind#SHARED_NETWORK_SUBNET} when the log knows the
 * network as this machine's shared network at that point, else
 * {@link SubnetMismatch.Kind#PROJECT_SUBNET_IN_USE}. A newer detection replaces an open one of the
 * same project, kind, network and other project.</li>
 * <li><b>Closed</b> by a fix: a run of the project that completes (its {@code runs} row names the
 * project and machine); or by a removal: {@code NetworkRemoved} of the mismatch's network, and, for a
 * subnet in use, of the other project's network (the other project is gone from {@code projects}).</li>
 * </ul>
 */
final class OpenMismatches {

    /** One open mismatch: the detection that opened it. */
    record Open(long detectedAt, Instant recordedAt, UUID runId, String project, String domain,
                SubnetMismatch.Kind kind, String network, String existingCidr, String expectedCidr,
                String otherProject) {
    }

    private OpenMismatches() {
    }

    static void detected(Connection c, String machine, SubnetMismatchDetected e, StoredEvent stored,
                         OffsetDateTime at) throws SQLException {
        if (e.project() == null) {
            return;
        }
        SubnetMismatch.Kind kind = "shared".equals(scope(c, machine, e.network()))
                ? SubnetMismatch.Kind.SHARED_NETWORK_SUBNET : SubnetMismatch.Kind.PROJECT_SUBNET_IN_USE;
        String project = cut(e.project(), 200);
        String network = cut(e.network(), 200);
        String other = cut(e.otherProject(), 200);
        update(c, "DELETE FROM subnet_mismatches WHERE machine_id = ? AND project = ? AND kind = ?"
                        + " AND COALESCE(network, '') = ? AND COALESCE(other_project, '') = ?",
                machine, project, kind.name(), network == null ? "" : network, other == null ? "" : other);
        update(c, "INSERT INTO subnet_mismatches (machine_id, detected_at, project, domain, kind, network,"
                        + " existing_cidr, expected_cidr, other_project, recorded_at, run_id)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                machine, stored.position(), project, cut(e.domain(), 253), kind.name(), network,
                cut(e.existingCidr(), 43), cut(e.expectedCidr(), 43), other, at,
                stored.metadata() == null ? null : stored.metadata().runId());
    }

    /** A completed run fixed what its project was refused for (on the machine it ran on). */
    static void runCompleted(Connection c, UUID runId) throws SQLException {
        String machine = null;
        String project = null;
        try (PreparedStatement ps = c.prepareStatement("SELECT machine_id, project FROM runs WHERE run_id = ?")) {
            ps.setObject(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    machine = rs.getString(1);
                    project = rs.getString(2);
                }
            }
        }
        if (project != null) {
            update(c, "DELETE FROM subnet_mismatches WHERE machine_id = ? AND project = ?", machine, project);
        }
    }

    /** Called before the network's {@code networks} and {@code projects} rows are deleted. */
    static void networkRemoved(Connection c, String machine, String network) throws SQLException {
        update(c, "DELETE FROM subnet_mismatches WHERE machine_id = ? AND network = ?", machine, network);
        update(c, "DELETE FROM subnet_mismatches WHERE machine_id = ? AND kind = ? AND other_project IN"
                        + " (SELECT name FROM projects WHERE machine_id = ? AND network = ?)",
                machine, SubnetMismatch.Kind.PROJECT_SUBNET_IN_USE.name(), machine, network);
    }

    /** This machine's open mismatches, newest first. */
    static List<Open> of(Connection c, String machine) throws SQLException {
        List<Open> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT detected_at, recorded_at, run_id, project, domain, kind,"
                + " network, existing_cidr, expected_cidr, other_project FROM subnet_mismatches"
                + " WHERE machine_id = ? ORDER BY detected_at DESC")) {
            ps.setString(1, machine);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Open(rs.getLong("detected_at"),
                            rs.getObject("recorded_at", OffsetDateTime.class).toInstant(),
                            rs.getObject("run_id", UUID.class), rs.getString("project"), rs.getString("domain"),
                            kind(rs.getString("kind")), rs.getString("network"), rs.getString("existing_cidr"),
                            rs.getString("expected_cidr"), rs.getString("other_project")));
                }
            }
        }
        return out;
    }

    private static SubnetMismatch.Kind kind(String name) {
        try {
            return SubnetMismatch.Kind.valueOf(name);
        } catch (IllegalArgumentException e) {
            return SubnetMismatch.Kind.PROJECT_SUBNET_IN_USE;  // written by a newer lo: the conservative reading
        }
    }

    private static String scope(Connection c, String machine, String network) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT scope FROM networks WHERE machine_id = ? AND name = ?")) {
            ps.setString(1, machine);
            ps.setString(2, network);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }
}
