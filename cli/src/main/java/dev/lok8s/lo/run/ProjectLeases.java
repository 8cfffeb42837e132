package dev.lok8s.lo.run;

import dev.lok8s.lo.failure.Failing;
import dev.lok8s.lo.failure.FailureKind;
import dev.lok8s.lo.events.ShortId;
import dev.lok8s.lo.events.EventMetadata;
import dev.lok8s.lo.retry.Backoff;
import dev.lok8s.lo.retry.Retry;
import dev.lok8s.lo.store.StoreException;
import dev.lok8s.lo.store.StoreFailures;
import dev.lok8s.lo.store.TransientFailures;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * One run per project and machine at a time, through a lease row in the store, so it holds across
 * processes. Leases are per machine: on a team's store, two machines with a project of the same
 * name change two different Docker Engines and do not wait for each other. A lease whose process
 * is gone is taken over; the caller is told so it can be recorded.
 */
public final class ProjectLeases {

    /** A held lease; {@code takenOverFrom} is set when a dead holder's lease was taken. */
    public record Lease(String project, UUID runId, Holder takenOverFrom) {
    }

    /** Who holds a lease. */
    public record Holder(UUID runId, long pid, String host, OffsetDateTime since) {
        @Override
        public String toString() {
            return "run " + ShortId.of(runId) + " (pid " + pid + " on " + host + ", since " + since + ")";
        }
    }

    /** Another live run holds the project's lease. */
    public static final class LeaseBusyException extends RuntimeException implements Failing {

        private final Holder holder;

        public LeaseBusyException(String project, Holder holder) {
            super("project '" + project + "' is being changed by " + (holder == null ? "another run" : holder)
                    + ": wait for it to finish, or rerun with --wait");
            this.holder = holder;
        }

        public Holder holder() {
            return holder;
        }

        @Override
        public FailureKind kind() {
            return FailureKind.BUSY;
        }
    }

    private final DataSource dataSource;
    private final String machineId;
    private final Duration waitLimit;
    private final Consumer<String> notes;

    /** @param machineId the machine whose leases these are (dev.lok8s.lo.machine.Machine) */
    public ProjectLeases(DataSource dataSource, String machineId, Duration waitLimit, Consumer<String> notes) {
        this.dataSource = dataSource;
        this.machineId = machineId;
        this.waitLimit = waitLimit;
        this.notes = notes;
    }

    /** These leases, telling {@code notes} (a run's progress) whom they wait for and what went wrong. */
    public ProjectLeases notingTo(Consumer<String> notes) {
        return new ProjectLeases(dataSource, machineId, waitLimit, notes);
    }

    public Lease acquire(String project, UUID runId, boolean wait) {
        boolean[] told = {false};
        try {
            Attempt attempt = Retry.SYSTEM.poll(Backoff.fixed(BUSY_PAUSE, waitLimit), () -> racing(project, runId),
                    seen -> {
                        if (seen.lease() != null || !wait) {
                            return true;
                        }
                        if (!told[0]) {
                            notes.accept("waiting for " + seen.holder() + " to finish");
                            told[0] = true;
                        }
                        return false;
                    });
            if (attempt.lease() == null) {
                throw new LeaseBusyException(project, attempt.holder());
            }
            return attempt.lease();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the lease of " + project);
        }
    }

    /**
     * One look at the lease, through the races of taking it: only a concurrent insert of the same project, a
     * lock wait or the store's hand-over between processes is worth another look, and only for seconds: a full
     * disk or a damaged file ends the command now, saying so, instead of passing for a busy lease.
     */
    private Attempt racing(String project, UUID runId) {
        try {
            return Retry.SYSTEM.call(Backoff.fixed(RACE_PAUSE, RACE_LIMIT), SQLException.class,
                    () -> tryAcquire(project, runId),
                    e -> TransientFailures.isDuplicateKey(e) || TransientFailures.isTransient(e));
        } catch (SQLException e) {
            throw new StoreException(StoreFailures.describe("take the lease of project '" + project + "'", e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the lease of " + project);
        }
    }

    /** How long a lease insert may keep losing races (or waiting out a hand-over) before it is an error. */
    static final Duration RACE_LIMIT = Duration.ofSeconds(30);
    private static final Duration RACE_PAUSE = Duration.ofMillis(50);
    /** How often a run waiting for another (--wait) looks at the lease again. */
    private static final Duration BUSY_PAUSE = Duration.ofMillis(250);

    private record Attempt(Lease lease, Holder holder) {
    }

    private Attempt tryAcquire(String project, UUID runId) throws SQLException {
        long pid = ProcessHandle.current().pid();
        String host = EventMetadata.hostName();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                Holder current = null;
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT run_id, pid, host, acquired_at FROM leases WHERE machine_id = ? AND project = ? FOR UPDATE")) {
                    ps.setString(1, machineId);
                    ps.setString(2, project);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next()) {
                            current = new Holder(rs.getObject(1, UUID.class), rs.getLong(2), rs.getString(3),
                                    rs.getObject(4, OffsetDateTime.class));
                        }
                    }
                }
                Holder takenFrom = null;
                if (current != null) {
                    if (alive(current)) {
                        c.rollback();
                        return new Attempt(null, current);
                    }
                    takenFrom = current;
                    try (PreparedStatement ps = c.prepareStatement(
                            "DELETE FROM leases WHERE machine_id = ? AND project = ?")) {
                        ps.setString(1, machineId);
                        ps.setString(2, project);
                        ps.executeUpdate();
                    }
                }
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO leases (machine_id, project, run_id, pid, host, acquired_at) VALUES (?, ?, ?, ?, ?, ?)")) {
                    ps.setString(1, machineId);
                    ps.setString(2, project);
                    ps.setObject(3, runId);
                    ps.setLong(4, pid);
                    ps.setString(5, host);
                    ps.setObject(6, OffsetDateTime.now(ZoneOffset.UTC));
                    ps.executeUpdate();
                }
                c.commit();
                return new Attempt(new Lease(project, runId, takenFrom), null);
            } catch (SQLException e) {
                try {
                    c.rollback();
                } catch (SQLException broken) {
                    e.addSuppressed(broken);  // keep the first error: it says why
                }
                throw e;
            }
        }
    }

    /** A holder is a process of this machine (leases are per machine): alive while its pid is. */
    static boolean alive(Holder holder) {
        if (holder.pid() == ProcessHandle.current().pid()) {
            return false;
        }
        return ProcessHandle.of(holder.pid()).map(ProcessHandle::isAlive).orElse(false);
    }

    /** The held lease, now naming {@code runId} (decided once the lease is held: a new run or a resumed one). */
    public Lease reassign(Lease lease, UUID runId) {
        if (lease.runId().equals(runId)) {
            return lease;
        }
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "UPDATE leases SET run_id = ? WHERE machine_id = ? AND project = ? AND run_id = ?")) {
            ps.setObject(1, runId);
            ps.setString(2, machineId);
            ps.setString(3, lease.project());
            ps.setObject(4, lease.runId());
            if (ps.executeUpdate() != 1) {
                throw new IllegalStateException("the lease of project '" + lease.project() + "' was taken from this "
                        + "process while it held it");
            }
        } catch (SQLException e) {
            throw new StoreException(StoreFailures.describe("update the lease of " + lease.project(), e), e);
        }
        return new Lease(lease.project(), runId, lease.takenOverFrom());
    }

    public void release(Lease lease) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "DELETE FROM leases WHERE machine_id = ? AND project = ? AND run_id = ?")) {
            ps.setString(1, machineId);
            ps.setString(2, lease.project());
            ps.setObject(3, lease.runId());
            ps.executeUpdate();
        } catch (SQLException e) {
            // A lease left behind is taken over by the next run once this process is gone.
            notes.accept("could not release the lease of " + lease.project() + ": " + e.getMessage());
        }
    }
}
