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
     * AUTO_SERVER: the first process opens the file and serves later ones over TCP, bound to
     * 127.0.0.1 ({@link H2Store#bindToLoopback}); plain embedded mode allows one process per file.
     * WRITE_DELAY=0: write on every commit, not 500 ms later. LOCK_TIMEOUT: appends queue on the
     * store_head row lock; a second is too short when four processes append at once.
     * IFEXISTS: lo's own user never creates the database (the admin does, in {@link H2Store}), so a
     * missing file is noticed instead of silently replaced. WRITE_DELAY and TRACE_LEVEL_FILE take
     * effect when the database is opened; H2 then also runs them as SET statements in each session,
     * which lo's non-admin user may not do: IGNORE_UNKNOWN_SETTINGS skips those.
     * TRACE_LEVEL_FILE=0: no lo.trace.db (lo reports store errors itself).
     * (DB_CLOSE_ON_EXIT must stay TRUE: H2 refuses AUTO_SERVER without it.)
     */
    public static final String H2_OPTIONS = ";AUTO_SERVER=TRUE;WRITE_DELAY=0;LOCK_TIMEOUT=10000;IFEXISTS=TRUE"
            + ";IGNORE_UNKNOWN_SETTINGS=TRUE;TRACE_LEVEL_FILE=0";

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

    /**
     * The H2 URL for a database file {@code lo} in {@code dir}.
     *
     * @throws IllegalArgumentException when the path holds a character H2 would read as part of
     *                                  the URL's settings (it has no way to escape them)
     */
    public static String h2Url(Path dir) {
        return "jdbc:h2:file:" + checked(dir).resolve("lo") + H2_OPTIONS;
    }

    /** The directory, absolute, once it is known to be usable in an H2 URL. */
    static Path checked(Path dir) {
        Path absolute = dir.toAbsolutePath();
        String text = absolute.toString();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == ';' || Character.isISOControl(c)) {
                throw new IllegalArgumentException("state directory " + printable(text) + " (lo.state-dir / LO_STATE_DIR)"
                        + " contains " + (c == ';' ? "';'" : "a control character") + ", which the H2 database URL"
                        + " cannot hold: choose a directory without it");
            }
        }
        return absolute;
    }

    private static String printable(String text) {
        StringBuilder out = new StringBuilder("'");
        text.codePoints().limit(300).forEach(cp -> {
            if (Character.isISOControl(cp)) {
                out.append(String.format("\\u%04x", cp));
            } else {
                out.appendCodePoint(cp);
            }
        });
        return out.append(text.length() > 300 ? "...'" : "'").toString();
    }
}
