package dev.lok8s.lo.projection;

import dev.lok8s.lo.store.StoreException;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.EnumMap;
import java.util.Map;

/** Runs counted by recorded status and the wall time of ended runs, from the {@code runs} read model. */
public final class RunStats {

    /** How many, and their seconds summed. */
    public record Totals(long count, double seconds) {
        public static final Totals NONE = new Totals(0, 0);

        public Totals plus(Totals other) {
            return new Totals(count + other.count, seconds + other.seconds);
        }
    }

    /**
     * @param runs      runs by recorded status (a run whose process died is recorded as running)
     * @param durations completed and failed runs: how many, and their wall time
     */
    public record Counts(Map<RunStatus, Long> runs, Map<RunStatus, Totals> durations) {
    }

    private final DataSource dataSource;

    RunStats(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public Counts read() {
        Map<RunStatus, Long> runs = new EnumMap<>(RunStatus.class);
        Map<RunStatus, Totals> durations = new EnumMap<>(RunStatus.class);
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("SELECT status, COUNT(*) FROM runs GROUP BY status");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    runs.put(RunStatus.valueOf(rs.getString(1)), rs.getLong(2));
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT status, started_at, ended_at FROM runs"
                    + " WHERE ended_at IS NOT NULL AND status IN ('completed', 'failed')");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    RunStatus status = RunStatus.valueOf(rs.getString(1));
                    double seconds = Duration.between(rs.getObject(2, OffsetDateTime.class),
                            rs.getObject(3, OffsetDateTime.class)).toNanos() / 1e9;
                    durations.merge(status, new Totals(1, seconds), Totals::plus);
                }
            }
        } catch (SQLException e) {
            throw new StoreException("event store: cannot count runs: " + e.getMessage(), e);
        }
        return new Counts(runs, durations);
    }
}
