package dev.lok8s.lo.store;

import java.nio.file.Path;
import java.util.function.Function;

/**
 * Where the default H2 store lives and the JDBC URL that opens it from several processes.
 * Directory: {@code lo.state-dir} (env {@code LO_STATE_DIR}), else
 * {@code ${XDG_STATE_HOME:-$HOME/.local/state}/lok8s/lo}.
 */
public final class StoreLocation {

    /**
     * AUTO_SERVER: the first process opens the file and serves later ones over loopback TCP
     * (plain embedded mode allows one process per file). WRITE_DELAY=0: write on every commit,
     * not 500 ms later. LOCK_TIMEOUT: appends queue on the store_head row lock; a second is too
     * short when four processes append at once. (DB_CLOSE_ON_EXIT must stay TRUE: H2 refuses
     * AUTO_SERVER without it.)
     */
    public static final String H2_OPTIONS = ";AUTO_SERVER=TRUE;WRITE_DELAY=0;LOCK_TIMEOUT=10000";

    private StoreLocation() {
    }

    /** The state directory, from the {@code lo.state-dir} setting or the environment. */
    public static Path stateDir(String configured, Function<String, String> env) {
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath();
        }
        String fromEnv = env.apply("LO_STATE_DIR");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return Path.of(fromEnv).toAbsolutePath();
        }
        String xdg = env.apply("XDG_STATE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg)
                : Path.of(env.apply("HOME") == null ? System.getProperty("user.home") : env.apply("HOME"), ".local", "state");
        return base.resolve("lok8s").resolve("lo").toAbsolutePath();
    }

    /** The H2 URL for a database file {@code lo} in {@code dir} (H2 creates missing directories). */
    public static String h2Url(Path dir) {
        return "jdbc:h2:file:" + dir.toAbsolutePath().resolve("lo") + H2_OPTIONS;
    }
}
