package dev.lok8s.lo.projection;

import dev.lok8s.lo.events.ImageWarmed;
import dev.lok8s.lo.events.RegistryRemoved;
import dev.lok8s.lo.store.StoreException;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.Set;

/**
 * The images {@code lo registry warm} put into each of this machine's pull-through mirrors
 * ({@link ImageWarmed}), forgotten when the mirror's container is removed ({@link RegistryRemoved} takes
 * its volume, and so its cache, with it). Table {@code warmed_images}.
 */
public final class WarmedImages {

    /** Longest digest and platform kept; longer ones (not lo's) are not recorded, so never skipped. */
    static final int MAX_DIGEST = 200;
    static final int MAX_PLATFORM = 100;

    private final DataSource dataSource;
    private final String machineId;

    WarmedImages(DataSource dataSource, String machineId) {
        this.dataSource = dataSource;
        this.machineId = machineId;
    }

    /** {@code digest + " " + platform} of each image warmed into {@code mirror} (a container) and still there. */
    public Set<String> of(String mirror) {
        Set<String> warmed = new HashSet<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "SELECT digest, platform FROM warmed_images WHERE machine_id = ? AND mirror = ?")) {
            ps.setString(1, machineId);
            ps.setString(2, mirror);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    warmed.add(rs.getString(1) + " " + rs.getString(2));
                }
            }
        } catch (SQLException e) {
            throw new StoreException("event store: cannot read the images warmed into " + mirror + ": "
                    + e.getMessage(), e);
        }
        return warmed;
    }

    /** Folds one warmed image (in the append's transaction, under its lock). */
    static void warmed(Connection c, String machine, ImageWarmed e) throws SQLException {
        if (e.mirror() == null || e.digest() == null || e.platform() == null || e.mirror().length() > 200
                || e.digest().length() > MAX_DIGEST || e.platform().length() > MAX_PLATFORM) {
            return;
        }
        Projector.upsert(c,
                "UPDATE warmed_images SET digest = digest WHERE digest = ? AND machine_id = ? AND mirror = ? AND platform = ?",
                "INSERT INTO warmed_images (digest, machine_id, mirror, platform) VALUES (?, ?, ?, ?)",
                e.digest(), machine, e.mirror(), e.platform());
    }

    /** A removed mirror's cache is gone with its volume. */
    static void removed(Connection c, String machine, RegistryRemoved e) throws SQLException {
        Projector.update(c, "DELETE FROM warmed_images WHERE machine_id = ? AND mirror = ?", machine, e.container());
    }
}
