package dev.lok8s.lo.projection;

import dev.lok8s.lo.store.StoreException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/** Queries over the {@code runs} and {@code run_steps} read models. */
public class RunHistory {

    private static final String RUN_COLUMNS =
            "run_id, domain, project, command, status, started_at, ended_at, error, failed_step, pid, host, machine_id,"
                    + " (SELECT COUNT(*) FROM run_resumptions r WHERE r.run_id = runs.run_id) AS resumes,"
                    + " (SELECT COUNT(*) FROM run_resumptions r WHERE r.run_id = runs.run_id"
                    + " AND r.previous_status = 'interrupted') AS interruptions";

    private final DataSource dataSource;
    private final String machineId;
    private final ProcessLiveness liveness;

    /** Runs as no machine in particular sees them: a run's process is checked by its host name alone. */
    public RunHistory(DataSource dataSource) {
        this(dataSource, ProcessLiveness.LOCAL);
    }

    public RunHistory(DataSource dataSource, ProcessLiveness liveness) {
        this(dataSource, null, liveness);
    }

    /**
     * @param machineId the machine asking; a run recorded on another machine is never declared
     *                  interrupted here (its process cannot be seen from this one). Null: decide by host name.
     */
    public RunHistory(DataSource dataSource, String machineId, ProcessLiveness liveness) {
        this.dataSource = dataSource;
        this.machineId = machineId;
        this.liveness = liveness;
    }

    /** Runs newest first, of one domain or (null) all, on every machine. */
    public List<RunSummary> list(String domain, int limit) {
        return list(domain, null, limit);
    }

    /** Runs newest first, of one domain or (null) all, of these machines (null: every machine). */
    public List<RunSummary> list(String domain, List<String> machineIds, int limit) {
        String sql = "SELECT " + RUN_COLUMNS + " FROM runs WHERE 1 = 1" + (domain == null ? "" : " AND domain = ?")
                + (machineIds == null ? "" : machineIds.isEmpty() ? " AND 1 = 0"
                : " AND machine_id IN (" + String.join(", ", Collections.nCopies(machineIds.size(), "?")) + ")")
                + " ORDER BY started_at DESC, last_position DESC LIMIT ?";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            if (domain != null) {
                ps.setString(i++, domain);
            }
            if (machineIds != null) {
                for (String id : machineIds) {
                    ps.setString(i++, id);
                }
            }
            ps.setInt(i, limit);
            List<RunSummary> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(summary(rs));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new StoreException("event store: cannot list runs: " + e.getMessage(), e);
        }
    }

    /**
     * The run whose id is, or starts with, {@code idOrPrefix} (history prints 8 characters).
     *
     * @throws IllegalArgumentException when the prefix names several runs
     */
    private static final Pattern RUN_ID_PREFIX = Pattern.compile("[0-9a-f-]{1,36}");

    public Optional<UUID> resolve(String idOrPrefix) {
        String prefix = idOrPrefix.toLowerCase(Locale.ROOT);
        // Only hex digits and dashes can start a run id; anything else (LIKE's '%' and '_' included)
        // matches no run, instead of every run.
        if (!RUN_ID_PREFIX.matcher(prefix).matches()) {
            return Optional.empty();
        }
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "SELECT run_id FROM runs WHERE CAST(run_id AS VARCHAR(36)) LIKE ? ESCAPE '!' LIMIT 2")) {
            ps.setString(1, prefix.replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%");
            List<UUID> ids = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getObject(1, UUID.class));
                }
            }
            if (ids.size() > 1) {
                throw new IllegalArgumentException("run id prefix '" + idOrPrefix + "' matches several runs");
            }
            return ids.stream().findFirst();
        } catch (SQLException e) {
            throw new StoreException("event store: cannot look up run " + idOrPrefix + ": " + e.getMessage(), e);
        }
    }

    public Optional<RunDetail> show(String idOrPrefix) {
        Optional<UUID> id = resolve(idOrPrefix);
        if (id.isEmpty()) {
            return Optional.empty();
        }
        try (Connection c = dataSource.getConnection()) {
            RunSummary run;
            try (PreparedStatement ps = c.prepareStatement("SELECT " + RUN_COLUMNS + " FROM runs WHERE run_id = ?")) {
                ps.setObject(1, id.get());
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    run = summary(rs);
                }
            }
            List<RunStepView> steps = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT step_id, outcome, duration_ms, recorded_at"
                    + " FROM run_steps WHERE run_id = ? ORDER BY position")) {
                ps.setObject(1, id.get());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        steps.add(new RunStepView(rs.getString(1), rs.getString(2), rs.getLong(3),
                                instant(rs, 4)));
                    }
                }
            }
            List<RunResumption> resumptions = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT resumed_at, pid, host, completed_steps,"
                    + " previous_status, previous_pid, previous_host, previous_error, previous_failed_step,"
                    + " lease_taken_over, lease_held_since FROM run_resumptions WHERE run_id = ? ORDER BY position")) {
                ps.setObject(1, id.get());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        resumptions.add(resumption(rs));
                    }
                }
            }
            return Optional.of(new RunDetail(run, steps, resumptions));
        } catch (SQLException e) {
            throw new StoreException("event store: cannot read run " + idOrPrefix + ": " + e.getMessage(), e);
        }
    }

    private RunSummary summary(ResultSet rs) throws SQLException {
        RunStatus status = RunStatus.valueOf(rs.getString("status"));
        long pidValue = rs.getLong("pid");
        Long pid = rs.wasNull() ? null : pidValue;
        String host = rs.getString("host");
        String machine = rs.getString("machine_id");
        boolean elsewhere = machineId != null && machine != null && !machineId.equals(machine);
        if (status == RunStatus.running && pid != null && !elsewhere
                && !liveness.mayBeAlive(machineId == null ? host : null, pid)) {
            status = RunStatus.interrupted;
        }
        return new RunSummary(rs.getObject("run_id", UUID.class), rs.getString("domain"), rs.getString("project"),
                rs.getString("command"), status, instant(rs, "started_at"), instant(rs, "ended_at"),
                rs.getString("error"), rs.getString("failed_step"), pid, host, machine, rs.getInt("resumes"),
                rs.getInt("interruptions"));
    }

    private static RunResumption resumption(ResultSet rs) throws SQLException {
        String after = rs.getString("previous_status");
        long previousPid = rs.getLong("previous_pid");
        Long previous = rs.wasNull() ? null : previousPid;
        return new RunResumption(instant(rs, "resumed_at"), rs.getLong("pid"), rs.getString("host"),
                rs.getInt("completed_steps"), after == null ? null : RunStatus.valueOf(after), previous,
                rs.getString("previous_host"), rs.getString("previous_error"), rs.getString("previous_failed_step"),
                rs.getBoolean("lease_taken_over"), instant(rs, "lease_held_since"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }
}
