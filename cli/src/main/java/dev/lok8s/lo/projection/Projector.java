package dev.lok8s.lo.projection;

import dev.lok8s.lo.events.BoundedText;
import dev.lok8s.lo.events.CachePruned;
import dev.lok8s.lo.events.CertIssued;
import dev.lok8s.lo.events.CertsDirWritten;
import dev.lok8s.lo.events.ClusterCreated;
import dev.lok8s.lo.events.ClusterDeleted;
import dev.lok8s.lo.events.ClusterRegistriesPublished;
import dev.lok8s.lo.events.ImagePruned;
import dev.lok8s.lo.events.ImageWarmed;
import dev.lok8s.lo.events.LeaseTakenOver;
import dev.lok8s.lo.events.MirrorLogRead;
import dev.lok8s.lo.events.MirrorStarted;
import dev.lok8s.lo.events.NetworkAdopted;
import dev.lok8s.lo.events.NetworkCreated;
import dev.lok8s.lo.events.NetworkRemoved;
import dev.lok8s.lo.events.NodeConnected;
import dev.lok8s.lo.events.NodeDisconnected;
import dev.lok8s.lo.events.RegistryRemoved;
import dev.lok8s.lo.events.RegistryStarted;
import dev.lok8s.lo.events.RegistryStopped;
import dev.lok8s.lo.events.RunCompleted;
import dev.lok8s.lo.events.RunFailed;
import dev.lok8s.lo.events.RunRejected;
import dev.lok8s.lo.events.RunResumed;
import dev.lok8s.lo.events.RunStarted;
import dev.lok8s.lo.events.StepCompleted;
import dev.lok8s.lo.events.SubnetMismatchDetected;
import dev.lok8s.lo.events.UnrecognizedEvent;
import dev.lok8s.lo.machine.Machine;
import dev.lok8s.lo.plan.Role;
import dev.lok8s.lo.plan.Scope;
import dev.lok8s.lo.spec.Cidr;
import dev.lok8s.lo.store.AppendHook;
import dev.lok8s.lo.store.StoredEvent;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

/**
 * Folds events into the read-model tables, inside the appending transaction (the caller holds the
 * append lock, so the update-then-insert upserts below cannot race). One switch over every event
 * type, no default: a new event type does not compile until it is decided here.
 */
public class Projector implements AppendHook {

    static final String[] TABLES = {"registries", "networks", "network_users", "runs", "run_steps", "projects",
            "run_resumptions", "machines", "subnet_mismatches", "mirror_log_reads", "mirror_pulls", "mirror_traffic",
            "warmed_images"};

    /**
     * Folds one event into the read models of the machine it happened on ({@code metadata.machineId}; the
     * store fills it in for events recorded before lo knew machines).
     */
    @Override
    public void apply(Connection c, StoredEvent stored) throws SQLException {
        long pos = stored.position();
        OffsetDateTime at = OffsetDateTime.ofInstant(stored.recordedAt(), ZoneOffset.UTC);
        String m = stored.metadata() == null || stored.metadata().machineId() == null
                ? Machine.UNNAMED_ID : stored.metadata().machineId();
        switch (stored.event()) {
            case RunStarted e -> {
                upsert(c,
                        "UPDATE runs SET domain = ?, project = ?, command = ?, status = 'running', started_at = ?, pid = ?, host = ?, last_position = ?, machine_id = ? WHERE run_id = ?",
                        "INSERT INTO runs (domain, project, command, status, started_at, pid, host, last_position, machine_id, run_id) VALUES (?, ?, ?, 'running', ?, ?, ?, ?, ?, ?)",
                        e.domain(), e.project(), e.command(), at, e.pid(), e.host(), pos, m, e.runId());
                machine(c, m, e.host(), at);
            }
            case RunResumed e -> {
                resumption(c, e, at, pos);
                upsert(c,
                        // running again in another process: the previous end no longer applies
                        "UPDATE runs SET status = 'running', pid = ?, host = ?, ended_at = NULL, error = NULL, failed_step = NULL, last_position = ?, machine_id = ? WHERE run_id = ?",
                        "INSERT INTO runs (pid, host, last_position, machine_id, run_id, domain, project, command, status, started_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'running', ?)",
                        e.pid(), e.host(), pos, m, e.runId(), e.domain(), e.project(), e.command(), at);
                machine(c, m, e.host(), at);
            }
            case LeaseTakenOver e -> {
                if (e.runId().equals(e.previousRunId())) {
                    // the run's own earlier process died holding the lease: its latest resumption says so
                    update(c, "UPDATE run_resumptions SET lease_taken_over = TRUE, lease_held_since = ?,"
                                    + " previous_status = 'interrupted', previous_pid = ?, previous_host = ?"
                                    + " WHERE run_id = ? AND position = (SELECT MAX(position) FROM run_resumptions WHERE run_id = ?)",
                            e.previousSince() == null ? null : OffsetDateTime.ofInstant(e.previousSince(), ZoneOffset.UTC),
                            e.previousPid(), e.previousHost(), e.runId(), e.runId());
                }
                // a lease taken from another run is coordination, not state: the history is its record
            }
            case RunCompleted e -> {
                endRun(c, m, e.runId(), "completed", null, null, at, pos);
                OpenMismatches.runCompleted(c, e.runId());
            }
            case RunFailed e -> endRun(c, m, e.runId(), "failed", e.error(), e.step(), at, pos);
            case RunRejected e -> {
                upsert(c,
                        "UPDATE runs SET status = 'rejected', error = ?, ended_at = ?, last_position = ? WHERE run_id = ?",
                        "INSERT INTO runs (error, ended_at, last_position, run_id, machine_id, host, domain, project, command, status, started_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'rejected', ?)",
                        cut(e.reason(), 4000), at, pos, e.runId(), m,
                        stored.metadata() == null ? null : cut(stored.metadata().host(), 253), cut(e.domain(), 253),
                        cut(e.project(), 200), cut(e.command(), 4000), at);
                machine(c, m, stored.metadata() == null ? null : cut(stored.metadata().host(), 253), at);
            }
            case StepCompleted e -> upsert(c,
                    "UPDATE run_steps SET outcome = ?, duration_ms = ?, recorded_at = ?, position = ? WHERE run_id = ? AND step_id = ?",
                    "INSERT INTO run_steps (outcome, duration_ms, recorded_at, position, run_id, step_id) VALUES (?, ?, ?, ?, ?, ?)",
                    e.outcome() == null ? null : e.outcome().name(), e.durationMs(), at, pos, e.runId(), e.stepId());
            case NetworkCreated e -> network(c, m, e.network(), e.cidr(), e.scope(), e.project(), e.domain(), at, pos);
            case NetworkAdopted e -> network(c, m, e.network(), e.cidr(), e.scope(), e.project(), e.domain(), at, pos);
            case NetworkRemoved e -> {
                OpenMismatches.networkRemoved(c, m, e.network());  // before its projects row goes
                update(c, "DELETE FROM networks WHERE machine_id = ? AND name = ?", m, e.network());
                update(c, "DELETE FROM network_users WHERE machine_id = ? AND network = ?", m, e.network());
                update(c, "DELETE FROM projects WHERE machine_id = ? AND network = ?", m, e.network());
            }
            case RegistryStarted e -> registry(c, m, e.container(), e.role(), Scope.PROJECT, e.project(),
                    e.domain(), e.network(), e.ip(), null, e.image(), e.configHash(), e.hostPort(), at, pos);
            case MirrorStarted e -> registry(c, m, e.container(), Role.MIRROR,
                    e.scope() == null ? Scope.SHARED : e.scope(), e.project(), e.domain(), e.network(), e.ip(),
                    e.upstream(), e.image(), e.configHash(), null, at, pos);
            case RegistryStopped e -> update(c,
                    "UPDATE registries SET state = 'stopped', last_change = ?, last_position = ? WHERE machine_id = ? AND container = ?",
                    at, pos, m, e.container());
            case RegistryRemoved e -> {
                update(c, "DELETE FROM registries WHERE machine_id = ? AND container = ?", m, e.container());
                WarmedImages.removed(c, m, e);
            }
            case NodeConnected e -> upsert(c,
                    "UPDATE network_users SET project = ?, domain = ?, ip = ? WHERE machine_id = ? AND network = ? AND node = ?",
                    "INSERT INTO network_users (project, domain, ip, machine_id, network, node) VALUES (?, ?, ?, ?, ?, ?)",
                    e.project(), e.domain(), cut(e.ip(), 45), m, e.network(), e.node());
            case NodeDisconnected e -> update(c,
                    "DELETE FROM network_users WHERE machine_id = ? AND network = ? AND node = ?", m, e.network(),
                    e.node());
            case ClusterDeleted e -> update(c, "DELETE FROM network_users WHERE machine_id = ? AND project = ?", m,
                    e.project());
            case ClusterCreated e -> {
                // the run that created it is its record; status comes from containers and nodes
            }
            case CertIssued e -> {
                // certificates are files; the history is their only record
            }
            case CertsDirWritten e -> {
                // likewise
            }
            case SubnetMismatchDetected e -> OpenMismatches.detected(c, m, e, stored, at);
            case MirrorLogRead e -> MirrorTraffic.read(c, m, e);
            case ImagePruned e -> {
                // the image's pulls stay: they are what the mirror served; usage reads the catalog for what it holds
            }
            case CachePruned e -> {
                // the run that pruned it is its record
            }
            case ImageWarmed e -> WarmedImages.warmed(c, m, e);
            case ClusterRegistriesPublished e -> {
                // lives in the cluster; the history is its record
            }
            case UnrecognizedEvent e -> {
                // written by a newer lo: this version cannot know what it changes
            }
        }
    }

    /** Records that the read models include the log up to {@code position}. */
    @Override
    public void advance(Connection c, long position) throws SQLException {
        update(c, "UPDATE projection_position SET position = ? WHERE id = 1", position);
    }

    /** The last position the read models include. */
    @Override
    public long position(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT position FROM projection_position WHERE id = 1");
             ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0L;
        }
    }

    /** Empties every read model (before a replay). */
    @Override
    public void reset(Connection c) throws SQLException {
        for (String table : TABLES) {
            update(c, "DELETE FROM " + table);
        }
        advance(c, 0);
    }

    /**
     * Records a resumption with what the runs row still says about the process before it: a run that
     * was still 'running' had lost its process (interrupted), a 'failed' one had recorded its failure.
     */
    private static void resumption(Connection c, RunResumed e, OffsetDateTime at, long pos) throws SQLException {
        String status = null;
        Long pid = null;
        String host = null;
        String error = null;
        String failedStep = null;
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT status, pid, host, error, failed_step FROM runs WHERE run_id = ?")) {
            ps.setObject(1, e.runId());
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    status = rs.getString(1);
                    long p = rs.getLong(2);
                    pid = rs.wasNull() ? null : p;
                    host = rs.getString(3);
                    error = rs.getString(4);
                    failedStep = rs.getString(5);
                }
            }
        }
        String after = status == null ? null : switch (status) {
            case "failed" -> "failed";
            case "running" -> "interrupted";
            default -> status;
        };
        update(c, "INSERT INTO run_resumptions (run_id, position, resumed_at, pid, host, completed_steps,"
                        + " previous_status, previous_pid, previous_host, previous_error, previous_failed_step,"
                        + " lease_taken_over) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, FALSE)",
                e.runId(), pos, at, e.pid(), e.host(), e.completedSteps(), after, pid, host,
                "failed".equals(after) ? error : null, "failed".equals(after) ? failedStep : null);
    }

    private static void endRun(Connection c, String machine, UUID runId, String status, String error,
                               String step, OffsetDateTime at, long pos) throws SQLException {
        // a run's end without its start (a log cut short) still shows up
        upsert(c,
                "UPDATE runs SET status = ?, error = ?, failed_step = ?, ended_at = ?, last_position = ? WHERE run_id = ?",
                "INSERT INTO runs (status, error, failed_step, ended_at, last_position, run_id, machine_id, started_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                status, cut(error, 4000), cut(step, 200), at, pos, runId, machine, at);
    }

    /** Read-model columns hold a bounded copy; the event keeps the whole text. */
    static String cut(String text, int max) {
        return BoundedText.cut(text, max);
    }

    /** Every host name a machine has had, with when it was first and last seen with it. */
    private static void machine(Connection c, String machine, String host, OffsetDateTime at) throws SQLException {
        if (host == null) {
            return;
        }
        upsert(c,
                "UPDATE machines SET last_seen = ? WHERE machine_id = ? AND host = ?",
                "INSERT INTO machines (last_seen, machine_id, host, first_seen) VALUES (?, ?, ?, ?)",
                at, machine, host, at);
    }

    private static void network(Connection c, String machine, String name, String cidr, Scope scope,
                                String project, String domain, OffsetDateTime at, long pos) throws SQLException {
        Scope s = scope == null ? Scope.PROJECT : scope;
        upsert(c,
                "UPDATE networks SET cidr = ?, scope = ?, project = ?, domain = ?, last_change = ?, last_position = ? WHERE machine_id = ? AND name = ?",
                "INSERT INTO networks (cidr, scope, project, domain, last_change, last_position, machine_id, name) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                cidr, s.label(), project, domain, at, pos, machine, name);
        if (s == Scope.PROJECT && project != null) {
            Integer slot = null;
            try {
                slot = cidr == null ? null : Cidr.parse(cidr).thirdOctet();
            } catch (IllegalArgumentException ignored) {
                // an unparsable cidr in an old event: keep the row without a slot
            }
            upsert(c,
                    "UPDATE projects SET domain = ?, slot = ?, subnet = ?, network = ?, last_position = ? WHERE machine_id = ? AND name = ?",
                    "INSERT INTO projects (domain, slot, subnet, network, last_position, machine_id, name) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    domain, slot, cidr, name, pos, machine, project);
        }
    }

    private static void registry(Connection c, String machine, String container, Role role, Scope scope,
                                 String project, String domain, String network, String ip, String upstream,
                                 String image, String configHash, Integer hostPort, OffsetDateTime at, long pos)
            throws SQLException {
        upsert(c,
                "UPDATE registries SET role = ?, scope = ?, project = ?, domain = ?, network = ?, ip = ?, state = 'running', upstream = ?, image = ?, config_hash = ?, host_port = ?, last_change = ?, last_position = ? WHERE machine_id = ? AND container = ?",
                "INSERT INTO registries (role, scope, project, domain, network, ip, state, upstream, image, config_hash, host_port, last_change, last_position, machine_id, container) VALUES (?, ?, ?, ?, ?, ?, 'running', ?, ?, ?, ?, ?, ?, ?, ?)",
                role == null ? "unknown" : role.label(), scope.label(), project, domain, network, ip, upstream, image, configHash,
                hostPort, at, pos, machine, container);
    }

    /** UPDATE, and INSERT with the same arguments when no row matched. Safe under the append lock. */
    static void upsert(Connection c, String updateSql, String insertSql, Object... args) throws SQLException {
        if (update(c, updateSql, args) == 0) {
            update(c, insertSql, args);
        }
    }

    /** Runs a statement with the first arguments, as many as it has parameters. */
    static int update(Connection c, String sql, Object... args) throws SQLException {
        int params = (int) sql.chars().filter(ch -> ch == '?').count();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params; i++) {
                ps.setObject(i + 1, args[i]);
            }
            return ps.executeUpdate();
        }
    }
}
