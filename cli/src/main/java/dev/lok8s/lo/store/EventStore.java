package dev.lok8s.lo.store;

import dev.lok8s.lo.events.BoundedText;
import dev.lok8s.lo.events.EventCodec;
import dev.lok8s.lo.events.EventMetadata;
import dev.lok8s.lo.events.LoEvent;
import dev.lok8s.lo.machine.Machine;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The append-only event log, in plain JDBC over any {@link DataSource} whose schema Flyway made
 * ({@code db/migration}). Appends are serialised by a row lock on {@code store_head}, which gives
 * gap-free positions in commit order; the {@link AppendHook} (lo's read models) is run in the
 * same transaction, so every reader in every process sees the log and the read models agree.
 */
public class EventStore {

    private static final String COLUMNS = "position, event_id, stream_id, stream_version, event_type, schema_version,"
            + " domain, payload, run_id, command_line, os_user, host, lo_version, recorded_at, machine_id";

    private final DataSource dataSource;
    private final Machine machine;
    private final AppendHook hook;
    private final Clock clock;
    private final RetryPolicy retry;

    /** The store as {@code machine} writes it: every event it appends carries that machine. */
    public EventStore(DataSource dataSource, Machine machine, AppendHook hook) {
        this(dataSource, machine, hook, Clock.systemUTC(), RetryPolicy.DEFAULT);
    }

    public EventStore(DataSource dataSource, Machine machine, AppendHook hook, Clock clock, RetryPolicy retry) {
        this.dataSource = dataSource;
        this.machine = machine;
        this.hook = hook;
        this.clock = clock;
        this.retry = retry;
    }

    /**
     * The connections of this store, for the read models' queries ({@code projection.ReadModels}) and the
     * project leases; nothing else reads the store's tables (an architecture test says so).
     */
    public DataSource dataSource() {
        return dataSource;
    }

    /** The machine this store appends as. */
    public Machine machine() {
        return machine;
    }

    /** The metadata an append records: the caller's, on this store's machine. */
    private EventMetadata stamped(EventMetadata meta) {
        EventMetadata m = meta == null ? new EventMetadata(null, null, null, machine.hostName(), null) : meta;
        return m.machineId() == null ? m.withMachineId(machine.id()) : m;
    }

    /**
     * Events recorded before lo knew machines carry none; this machine reads them as its own
     * (docs/events.md, "A store for a team").
     */
    private StoredEvent ownedIfUnrecorded(StoredEvent e) {
        if (e.metadata().machineId() != null) {
            return e;
        }
        return new StoredEvent(e.position(), e.eventId(), e.streamId(), e.streamVersion(), e.eventType(),
                e.schemaVersion(), e.event(), e.payload(), e.metadata().withMachineId(machine.id()), e.recordedAt());
    }

    /** Appends with fresh event ids; see {@link #appendProposed}. */
    public AppendResult append(String streamId, long expectedVersion, List<? extends LoEvent> events,
                               EventMetadata meta) {
        return appendProposed(streamId, expectedVersion, ProposedEvent.withNewIds(events), meta);
    }

    /**
     * Appends events to a stream atomically, retrying on broken connections and lock timeouts. A retry
     * that finds the first event's id already stored returns what the earlier attempt wrote.
     *
     * @param expectedVersion the stream's current last version, or {@link ExpectedVersion#NO_STREAM} / {@link ExpectedVersion#ANY}
     * @throws WrongExpectedVersionException when the stream is at another version; nothing is written
     */
    public AppendResult appendProposed(String streamId, long expectedVersion, List<ProposedEvent> events,
                                       EventMetadata meta) {
        if (events.isEmpty()) {
            throw new IllegalArgumentException("nothing to append to " + streamId);
        }
        List<String> payloads = events.stream().map(p -> EventCodec.encode(p.event())).toList();
        EventMetadata stamped = stamped(meta);
        return retry.run("append to " + streamId, () -> appendOnce(streamId, expectedVersion, events, payloads, stamped));
    }

    private AppendResult appendOnce(String streamId, long expectedVersion, List<ProposedEvent> events,
                                    List<String> payloads, EventMetadata meta) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                long head = lockHead(c);
                AppendResult earlier = alreadyStored(c, streamId, events);
                if (earlier != null) {
                    c.rollback();
                    return earlier;
                }
                int current = streamVersion(c, streamId);
                boolean ok = expectedVersion == ExpectedVersion.ANY
                        || (expectedVersion == ExpectedVersion.NO_STREAM && current == 0)
                        || expectedVersion == current;
                if (!ok) {
                    c.rollback();
                    throw new WrongExpectedVersionException(streamId, expectedVersion, current);
                }
                Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
                List<StoredEvent> stored = new ArrayList<>(events.size());
                for (int i = 0; i < events.size(); i++) {
                    LoEvent e = events.get(i).event();
                    stored.add(new StoredEvent(head + 1 + i, events.get(i).eventId(), streamId, current + 1 + i,
                            EventCodec.typeName(e), EventCodec.schemaVersion(e), e, payloads.get(i), meta, now));
                }
                insert(c, stored);
                try (PreparedStatement ps = c.prepareStatement("UPDATE store_head SET position = ? WHERE id = 1")) {
                    ps.setLong(1, head + events.size());
                    ps.executeUpdate();
                }
                for (StoredEvent s : stored) {
                    hook.apply(c, s);
                }
                hook.advance(c, head + events.size());
                c.commit();
                return new AppendResult(streamId, head + 1, head + events.size(), current + events.size(), false,
                        List.copyOf(stored));
            } catch (SQLException | RuntimeException | Error e) {
                rollbackQuietly(c);
                throw e;
            }
        }
    }

    private static long lockHead(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT position FROM store_head WHERE id = 1 FOR UPDATE");
             ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                throw new SQLException("store_head has no row: the schema was not migrated");
            }
            return rs.getLong(1);
        }
    }

    private AppendResult alreadyStored(Connection c, String streamId, List<ProposedEvent> events) throws SQLException {
        List<StoredEvent> found = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM events WHERE event_id = ?")) {
            for (ProposedEvent p : events) {
                ps.setObject(1, p.eventId());
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        found.add(read(rs));
                    }
                }
            }
        }
        if (found.isEmpty()) {
            return null;
        }
        if (found.size() != events.size() || !found.stream().allMatch(s -> s.streamId().equals(streamId))) {
            throw new IllegalStateException("event ids of this append are partly stored or stored in another stream: "
                    + found.stream().map(s -> s.eventId() + "@" + s.streamId()).toList());
        }
        return new AppendResult(streamId, found.getFirst().position(), found.getLast().position(),
                found.getLast().streamVersion(), true, List.copyOf(found));
    }

    private static int streamVersion(Connection c, String streamId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT MAX(stream_version) FROM events WHERE stream_id = ?")) {
            ps.setString(1, streamId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private static void insert(Connection c, List<StoredEvent> stored) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO events (" + COLUMNS + ")"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (StoredEvent s : stored) {
                EventMetadata m = s.metadata();
                ps.setLong(1, s.position());
                ps.setObject(2, s.eventId());
                ps.setString(3, s.streamId());
                ps.setInt(4, s.streamVersion());
                ps.setString(5, s.eventType());
                ps.setInt(6, s.schemaVersion());
                // Columns copied from input are cut to their size (V1__events.sql): a 5,000-character
                // command line must not make the append fail and hide the error it records.
                ps.setString(7, cut(s.event().domain(), 253));
                ps.setString(8, s.payload());
                ps.setObject(9, m == null ? null : m.runId());
                ps.setString(10, m == null ? null : cut(m.commandLine(), 4000));
                ps.setString(11, m == null ? null : cut(m.osUser(), 200));
                ps.setString(12, m == null ? null : cut(m.host(), 253));
                ps.setString(13, m == null ? null : cut(m.loVersion(), 100));
                ps.setObject(14, OffsetDateTime.ofInstant(s.recordedAt(), ZoneOffset.UTC));
                ps.setString(15, m == null ? null : m.machineId());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static String cut(String text, int max) {
        return BoundedText.cut(text, max);
    }

    /** Every event of a stream in version order; empty if the stream does not exist. */
    public List<StoredEvent> readStream(String streamId) {
        return retry.run("read " + streamId, () -> select(
                "SELECT " + COLUMNS + " FROM events WHERE stream_id = ? ORDER BY stream_version",
                List.of(streamId)));
    }

    /**
     * The events of a stream that happened on this store's machine (or before lo recorded machines), in
     * version order. Streams named after a project or a network are shared by every machine with a project
     * or network of that name; what one machine did to its Docker Engine says nothing about another's.
     */
    public List<StoredEvent> readStreamOfThisMachine(String streamId) {
        return retry.run("read " + streamId, () -> select(
                "SELECT " + COLUMNS + " FROM events WHERE stream_id = ? AND (machine_id = ? OR machine_id IS NULL)"
                        + " ORDER BY stream_version", List.of(streamId, machine.id())));
    }

    /**
     * The stream's events after {@code afterVersion} that happened on this machine, with the stream's version
     * (all machines') read in the same query: an append expecting that version can only succeed if nothing
     * was appended since, so a run decides on exactly what it appends after.
     */
    public StreamSlice readStreamSince(String streamId, int afterVersion) {
        return retry.run("read " + streamId, () -> {
            List<StoredEvent> all = select("SELECT " + COLUMNS + " FROM events WHERE stream_id = ? AND stream_version > ?"
                    + " ORDER BY stream_version", List.of(streamId, afterVersion));
            int version = all.isEmpty() ? afterVersion : all.getLast().streamVersion();
            List<StoredEvent> mine = all.stream().filter(e -> e.metadata().machineId() == null
                    || e.metadata().machineId().equals(machine.id())).toList();
            return new StreamSlice(streamId, version, mine);
        });
    }

    /** The stream's last version (0 when it has no events). */
    public int streamVersion(String streamId) {
        return retry.run("read " + streamId, () -> {
            try (Connection c = dataSource.getConnection()) {
                return streamVersion(c, streamId);
            }
        });
    }

    /** Up to {@code limit} events from {@code fromPosition} (inclusive) in log order. */
    public List<StoredEvent> readAll(long fromPosition, int limit) {
        return retry.run("read the log", () -> select(
                "SELECT " + COLUMNS + " FROM events WHERE position >= ? ORDER BY position LIMIT ?",
                List.of(fromPosition, limit)));
    }

    /**
     * Up to {@code limit} events from {@code fromPosition} (inclusive) in log order, ending before the
     * event that would take them past {@code maxBytes} ({@link #SIZE}); at least one event when there is one.
     */
    public List<StoredEvent> readAll(long fromPosition, int limit, long maxBytes) {
        return retry.run("read the log", () -> {
            List<long[]> sizes = sizes("SELECT position, " + SIZE + " FROM events WHERE position >= ?"
                    + " ORDER BY position LIMIT ?", List.of(fromPosition, limit));
            int n = within(sizes, limit, maxBytes);
            if (n == 0) {
                return List.of();
            }
            return select("SELECT " + COLUMNS + " FROM events WHERE position >= ? AND position <= ? ORDER BY position",
                    List.of(sizes.getFirst()[0], sizes.get(n - 1)[0]));
        });
    }

    /**
     * What an event costs a page, in bytes: its payload and command line as stored, plus a fixed
     * allowance for its other columns and the fields a rendering adds (summary, ids, times).
     */
    static final int EVENT_ALLOWANCE = 1024;
    static final String SIZE = "LENGTH(payload) + COALESCE(LENGTH(command_line), 0) + " + EVENT_ALLOWANCE;

    /** How many of the first rows fit in {@code maxBytes} (at least one), at most {@code limit}. */
    private static int within(List<long[]> sizes, int limit, long maxBytes) {
        long total = 0;
        int n = 0;
        for (long[] row : sizes) {
            if (n == limit || (n > 0 && total + row[1] > maxBytes)) {
                break;
            }
            total += row[1];
            n++;
        }
        return n;
    }

    private List<long[]> sizes(String sql, List<?> args) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.size(); i++) {
                ps.setObject(i + 1, args.get(i));
            }
            List<long[]> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new long[]{rs.getLong(1), rs.getLong(2)});
                }
            }
            return out;
        }
    }

    /**
     * Up to {@code limit} events of the given types after position {@code after}, up to {@code upTo}
     * (inclusive), in log order.
     */
    public List<StoredEvent> readTypes(List<Class<? extends LoEvent>> types, long after, long upTo, int limit) {
        List<Object> args = new ArrayList<>();
        types.forEach(t -> args.add(t.getSimpleName()));
        args.addAll(List.of(after, upTo, limit));
        return retry.run("read the log", () -> select("SELECT " + COLUMNS + " FROM events WHERE event_type IN ("
                + String.join(", ", Collections.nCopies(types.size(), "?"))
                + ") AND position > ? AND position <= ? ORDER BY position LIMIT ?", args));
    }

    /** The last position in the log (0 when empty). */
    public long headPosition() {
        return retry.run("read the head", () -> {
            try (Connection c = dataSource.getConnection();
                 PreparedStatement ps = c.prepareStatement("SELECT position FROM store_head WHERE id = 1");
                 ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0L;
            }
        });
    }

    /** History, newest first, with the {@code before} value of the next page when there is one. */
    public HistoryPage query(HistoryQuery q) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM events WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (q.domain() != null) {
            sql.append(" AND domain = ?");
            args.add(q.domain());
        }
        if (q.type() != null) {
            sql.append(" AND event_type = ?");
            args.add(q.type());
        }
        if (q.runId() != null) {
            sql.append(" AND run_id = ?");
            args.add(q.runId());
        }
        if (q.since() != null) {
            sql.append(" AND recorded_at >= ?");
            args.add(OffsetDateTime.ofInstant(q.since(), ZoneOffset.UTC));
        }
        if (q.until() != null) {
            sql.append(" AND recorded_at < ?");
            args.add(OffsetDateTime.ofInstant(q.until(), ZoneOffset.UTC));
        }
        if (q.before() != null) {
            sql.append(" AND position < ?");
            args.add(q.before());
        }
        if (q.machines() != null) {
            sql.append(" AND (").append(q.machines().ids().isEmpty() ? "1 = 0"
                    : "machine_id IN (" + String.join(", ", Collections.nCopies(q.machines().ids().size(), "?")) + ")");
            args.addAll(q.machines().ids());
            if (q.machines().ids().contains(machine.id())) {
                sql.append(" OR machine_id IS NULL");
            }
            sql.append(")");
        }
        // Naming the filter's equality columns first matches an index (x, position DESC): H2 then
        // reads just the page instead of every row of the domain and sorting them. PostgreSQL ignores them.
        final String order;
        if (q.domain() != null && q.type() != null) {
            order = "domain, event_type, position DESC";
        } else if (q.domain() != null) {
            order = "domain, position DESC";
        } else if (q.type() != null) {
            order = "event_type, position DESC";
        } else if (q.runId() != null) {
            order = "run_id, position DESC";
        } else {
            order = "position DESC";
        }
        // First the positions and sizes of the page (small rows), then the events that fit its byte budget:
        // a page of large events is cut there and continues, like any page, from its last position.
        List<Object> sizeArgs = new ArrayList<>(args);
        sizeArgs.add(q.limit() + 1);
        String where = sql.substring(sql.indexOf(" FROM events"));
        return retry.run("query history", () -> {
            List<long[]> sizes = sizes("SELECT position, " + SIZE + where + " ORDER BY " + order + " LIMIT ?", sizeArgs);
            int n = within(sizes, q.limit(), q.pageBytes());
            if (n == 0) {
                return new HistoryPage(List.of(), null);
            }
            // between the page's first and last position: events appended meanwhile are not in it
            List<Object> rowArgs = new ArrayList<>(args);
            rowArgs.add(sizes.get(n - 1)[0]);
            rowArgs.add(sizes.getFirst()[0]);
            List<StoredEvent> page = select(sql + " AND position >= ? AND position <= ? ORDER BY " + order, rowArgs);
            return new HistoryPage(page, sizes.size() > n ? page.getLast().position() : null);
        });
    }

    /** Rebuilds the read models when they are behind the log (after a migration emptied them). */
    public void catchUpProjections() {
        long projected = retry.run("read the projection position", () -> {
            try (Connection c = dataSource.getConnection()) {
                return hook.position(c);
            }
        });
        if (projected < headPosition()) {
            rebuildProjections();
        }
    }

    /**
     * Empties the read models and replays the whole log into them, in one transaction that holds
     * the append lock (appends from other processes wait). Returns the number of events replayed.
     */
    public long rebuildProjections() {
        return retry.run("rebuild projections", () -> {
            try (Connection c = dataSource.getConnection()) {
                c.setAutoCommit(false);
                try {
                    long head = lockHead(c);
                    hook.reset(c);
                    long count = 0;
                    long from = 1;
                    final int batch = 5_000;
                    while (from <= head) {
                        List<StoredEvent> events;
                        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS
                                + " FROM events WHERE position >= ? AND position <= ? ORDER BY position")) {
                            ps.setLong(1, from);
                            ps.setLong(2, Math.min(head, from + batch - 1));
                            events = readAllRows(ps);
                        }
                        for (StoredEvent e : events) {
                            hook.apply(c, ownedIfUnrecorded(e));
                            count++;
                        }
                        from += batch;
                    }
                    hook.advance(c, head);
                    c.commit();
                    return count;
                } catch (SQLException | RuntimeException | Error e) {
                    rollbackQuietly(c);
                    throw e;
                }
            }
        });
    }

    private List<StoredEvent> select(String sql, List<?> args) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.size(); i++) {
                ps.setObject(i + 1, args.get(i));
            }
            return readAllRows(ps);
        }
    }

    private static List<StoredEvent> readAllRows(PreparedStatement ps) throws SQLException {
        List<StoredEvent> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(read(rs));
            }
        }
        return out;
    }

    private static StoredEvent read(ResultSet rs) throws SQLException {
        String type = rs.getString("event_type");
        int schema = rs.getInt("schema_version");
        String domain = rs.getString("domain");
        String payload = rs.getString("payload");
        EventMetadata meta = new EventMetadata(rs.getObject("run_id", UUID.class), rs.getString("command_line"),
                rs.getString("os_user"), rs.getString("host"), rs.getString("lo_version"), rs.getString("machine_id"));
        return new StoredEvent(rs.getLong("position"), rs.getObject("event_id", UUID.class),
                rs.getString("stream_id"), rs.getInt("stream_version"), type, schema,
                EventCodec.decode(type, schema, domain, payload), payload, meta,
                rs.getObject("recorded_at", OffsetDateTime.class).toInstant());
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection is broken; the database rolls the transaction back itself
        }
    }
}
