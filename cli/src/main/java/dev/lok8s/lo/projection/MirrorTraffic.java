package dev.lok8s.lo.projection;

import dev.lok8s.lo.events.MirrorLogRead;
import dev.lok8s.lo.store.StoreException;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What each pull-through mirror served, as lo read it from the mirror's log ({@link MirrorLogRead}):
 * where the next read starts, the newest pull of each image, and blob hits and misses per hour, client
 * and project. Tables {@code mirror_log_reads}, {@code mirror_pulls}, {@code mirror_traffic}.
 */
public final class MirrorTraffic {

    /** Where a mirror's next read starts: after {@code until} in the log of container {@code containerId}. */
    public record Cursor(String containerId, Instant until) {
    }

    /**
     * Blob requests of one mirror, one project (null: a client lo cannot name, such as the host) and one hour
     * (null in totals).
     */
    public record Counts(String mirror, String project, Instant hour, long hits, long misses, long hitBytes,
                         long missBytes) {
    }

    private final DataSource dataSource;
    private final String machineId;

    MirrorTraffic(DataSource dataSource, String machineId) {
        this.dataSource = dataSource;
        this.machineId = machineId;
    }

    public Optional<Cursor> cursor(String mirror) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "SELECT container_id, until_at FROM mirror_log_reads WHERE machine_id = ? AND mirror = ?")) {
            ps.setString(1, machineId);
            ps.setString(2, mirror);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new Cursor(rs.getString(1), Instant.parse(rs.getString(2))))
                        : Optional.empty();
            }
        } catch (SQLException e) {
            throw new StoreException("event store: cannot read where the log of " + mirror + " was read to: "
                    + e.getMessage(), e);
        }
    }

    /** The newest pull of each repository and reference a mirror served: key {@code repository + "\n" + reference}. */
    public Map<String, Instant> lastPulls(String mirror) {
        Map<String, Instant> pulls = new HashMap<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT repository, reference, last_pulled FROM mirror_pulls"
                     + " WHERE machine_id = ? AND mirror = ?")) {
            ps.setString(1, machineId);
            ps.setString(2, mirror);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    pulls.put(rs.getString(1) + "\n" + rs.getString(2),
                            rs.getObject(3, OffsetDateTime.class).toInstant());
                }
            }
        } catch (SQLException e) {
            throw new StoreException("event store: cannot read the pulls of " + mirror + ": " + e.getMessage(), e);
        }
        return pulls;
    }

    /** Totals per mirror and project since {@code since} (all time when null), for the given mirrors. */
    public List<Counts> totals(Collection<String> mirrors, Instant since) {
        return query(mirrors, since, false);
    }

    /** Per mirror, project and hour since {@code since}, oldest first. */
    public List<Counts> hourly(Collection<String> mirrors, Instant since) {
        return query(mirrors, since, true);
    }

    /** Totals per mirror and project on this machine, all time (metrics). */
    public List<Counts> all() {
        return query(null, null, false);
    }

    private List<Counts> query(Collection<String> mirrors, Instant since, boolean hourly) {
        if (mirrors != null && mirrors.isEmpty()) {
            return List.of();
        }
        StringBuilder sql = new StringBuilder("SELECT mirror, project, ").append(hourly ? "hour_at" : "NULL")
                .append(", SUM(hits), SUM(misses), SUM(hit_bytes), SUM(miss_bytes) FROM mirror_traffic WHERE machine_id = ?");
        if (mirrors != null) {
            sql.append(" AND mirror IN (").append("?,".repeat(mirrors.size() - 1)).append("?)");
        }
        if (since != null) {
            sql.append(" AND hour_at >= ?");
        }
        sql.append(" GROUP BY mirror, project").append(hourly ? ", hour_at" : "")
                .append(" ORDER BY ").append(hourly ? "hour_at, " : "").append("mirror, project");
        List<Counts> rows = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql.toString())) {
            int i = 1;
            ps.setString(i++, machineId);
            if (mirrors != null) {
                for (String mirror : mirrors) {
                    ps.setString(i++, mirror);
                }
            }
            if (since != null) {
                ps.setObject(i, OffsetDateTime.ofInstant(since, ZoneOffset.UTC));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    OffsetDateTime hour = hourly ? rs.getObject(3, OffsetDateTime.class) : null;
                    rows.add(new Counts(rs.getString(1), rs.getString(2), hour == null ? null : hour.toInstant(),
                            rs.getLong(4), rs.getLong(5), rs.getLong(6), rs.getLong(7)));
                }
            }
        } catch (SQLException e) {
            throw new StoreException("event store: cannot read the mirrors' hits and misses: " + e.getMessage(), e);
        }
        return rows;
    }

    /** Folds one read into the tables (in the append's transaction, under its lock). */
    static void read(Connection c, String machine, MirrorLogRead e) throws SQLException {
        if (e.mirror() == null || e.until() == null) {
            return;
        }
        Projector.upsert(c,
                "UPDATE mirror_log_reads SET container_id = ?, until_at = ? WHERE machine_id = ? AND mirror = ?",
                "INSERT INTO mirror_log_reads (container_id, until_at, machine_id, mirror) VALUES (?, ?, ?, ?)",
                Projector.cut(e.containerId(), 80), e.until().toString(), machine, e.mirror());
        for (MirrorLogRead.Pulled p : e.images()) {
            if (p.repository() == null || p.reference() == null || p.lastPulled() == null
                    || p.repository().length() > 300 || p.reference().length() > 200) {
                continue;
            }
            OffsetDateTime at = OffsetDateTime.ofInstant(p.lastPulled(), ZoneOffset.UTC);
            if (Projector.update(c, "UPDATE mirror_pulls SET last_pulled = CASE WHEN last_pulled > ? THEN last_pulled"
                            + " ELSE ? END, pulls = pulls + ? WHERE machine_id = ? AND mirror = ? AND repository = ?"
                            + " AND reference = ?",
                    at, at, (long) p.pulls(), machine, e.mirror(), p.repository(), p.reference()) == 0) {
                Projector.update(c, "INSERT INTO mirror_pulls (last_pulled, pulls, machine_id, mirror, repository,"
                                + " reference) VALUES (?, ?, ?, ?, ?, ?)",
                        at, (long) p.pulls(), machine, e.mirror(), p.repository(), p.reference());
            }
        }
        Map<String, String> projects = new HashMap<>();
        String own = ownProject(c, machine, e.mirror());
        for (MirrorLogRead.Traffic t : e.traffic()) {
            if (t.hour() == null || t.client() == null || t.client().length() > 64) {
                continue;
            }
            String project = projects.computeIfAbsent(t.client(), ip -> projectOf(c, machine, ip, own));
            Projector.upsert(c,
                    "UPDATE mirror_traffic SET hits = hits + ?, misses = misses + ?, hit_bytes = hit_bytes + ?,"
                            + " miss_bytes = miss_bytes + ?, project = COALESCE(project, ?)"
                            + " WHERE machine_id = ? AND mirror = ? AND hour_at = ? AND client = ?",
                    "INSERT INTO mirror_traffic (hits, misses, hit_bytes, miss_bytes, project, machine_id, mirror, hour_at,"
                            + " client) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (long) t.hits(), (long) t.misses(), t.hitBytes(), t.missBytes(), project, machine, e.mirror(),
                    OffsetDateTime.ofInstant(t.hour(), ZoneOffset.UTC), t.client());
        }
    }

    /** The project of a mirror on a project's own network (not shared), else null. */
    private static String ownProject(Connection c, String machine, String mirror) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT project FROM registries WHERE machine_id = ? AND container = ? AND scope = 'project'")) {
            ps.setString(1, machine);
            ps.setString(2, mirror);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    /** The project whose node had this address (NodeConnected) when the read was recorded, else the mirror's own. */
    private static String projectOf(Connection c, String machine, String ip, String own) {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT project FROM network_users WHERE machine_id = ? AND ip = ? AND project IS NOT NULL")) {
            ps.setString(1, machine);
            ps.setString(2, ip);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : own;
            }
        } catch (SQLException ex) {
            throw new IllegalStateException(ex);
        }
    }

}
