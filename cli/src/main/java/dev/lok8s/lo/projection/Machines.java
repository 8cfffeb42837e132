package dev.lok8s.lo.projection;

import dev.lok8s.lo.events.ShortId;
import dev.lok8s.lo.machine.Machine;
import dev.lok8s.lo.store.StoreException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import javax.sql.DataSource;

/**
 * The machines that have written to the store, from the {@code machines} read model (every host name
 * each had, fed by the runs' events), for {@code --host}: a host name (current or former) or a machine
 * id or a prefix of it.
 */
public final class Machines {

    /** A machine and a host name it had; {@code lastSeen} orders a renamed machine's names. */
    public record Named(String machineId, String host, Instant lastSeen) {
    }

    private final DataSource dataSource;
    private final Machine local;

    public Machines(DataSource dataSource, Machine local) {
        this.dataSource = dataSource;
        this.local = local;
    }

    /**
     * The ids of the machines {@code hostOrId} names.
     *
     * @throws IllegalArgumentException when it names none (a one-line message listing the known machines)
     */
    public List<String> resolve(String hostOrId) {
        String text = hostOrId.strip();
        TreeSet<String> ids = new TreeSet<>();
        if (local.isNamedBy(text)) {
            ids.add(local.id());
        }
        String prefix = text.toLowerCase(Locale.ROOT).replace("%", "").replace("_", "");
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT DISTINCT machine_id FROM machines WHERE host = ?"
                        + (prefix.isEmpty() ? "" : " OR machine_id LIKE ?"))) {
            ps.setString(1, text);
            if (!prefix.isEmpty()) {
                ps.setString(2, prefix + "%");
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
        } catch (SQLException e) {
            throw new StoreException("event store: cannot look up machine " + text + ": " + e.getMessage(), e);
        }
        if (ids.isEmpty()) {
            List<String> known = list().stream().map(n -> n.host() + " (" + ShortId.of(n.machineId()) + ")")
                    .distinct().toList();
            throw new IllegalArgumentException("no machine named '" + text + "' in the event store"
                    + (known.isEmpty() ? "" : "; known: " + String.join(", ", known)));
        }
        return List.copyOf(ids);
    }

    /** Every machine and host name, newest first. */
    public List<Named> list() {
        List<Named> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT machine_id, host, last_seen FROM machines ORDER BY last_seen DESC, machine_id, host");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new Named(rs.getString(1), rs.getString(2),
                        rs.getObject(3, OffsetDateTime.class).toInstant()));
            }
        } catch (SQLException e) {
            throw new StoreException("event store: cannot list machines: " + e.getMessage(), e);
        }
        return out;
    }
}
