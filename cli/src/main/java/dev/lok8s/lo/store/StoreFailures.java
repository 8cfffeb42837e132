package dev.lok8s.lo.store;

import java.io.IOException;
import java.net.URI;
import java.nio.file.AccessDeniedException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Locale;

/**
 * One line that says what went wrong with the store and what to do, instead of the driver's
 * multi-line message: the disk is full, the file is damaged, permission is denied, the PostgreSQL
 * server (named by host, port and database) cannot be reached.
 */
public final class StoreFailures {

    /** What the store is called in messages; the H2 file once it is known. */
    private static volatile String storeName = "event store";
    private static volatile Path dataFile;

    private StoreFailures() {
    }

    /** Names the store in every message of this process (one store per process). */
    public static void nameStore(Path dataFile) {
        storeName = "event store " + dataFile;
        StoreFailures.dataFile = dataFile;
    }

    /** Names a PostgreSQL store in every message of this process by its server (no user or password). */
    public static void nameServer(String jdbcUrl) {
        storeName = "event store (" + server(jdbcUrl) + ")";
        StoreFailures.dataFile = null;
    }

    /** {@code PostgreSQL at 10.0.0.5:5432/lo} from a JDBC URL (no user or password: they are not in it). */
    public static String server(String jdbcUrl) {
        try {
            URI uri = URI.create(jdbcUrl.substring("jdbc:".length()));
            String host = uri.getHost() == null ? "localhost" : uri.getHost();
            int port = uri.getPort() == -1 ? 5432 : uri.getPort();
            String db = uri.getPath() == null || uri.getPath().length() <= 1 ? "" : uri.getPath();
            return "PostgreSQL at " + host + ":" + port + db;
        } catch (IllegalArgumentException | StringIndexOutOfBoundsException e) {
            return "PostgreSQL";
        }
    }

    /** {@code what: root cause message}, the root cause's first line only. */
    public static String oneLine(String what, Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return what + ": " + (root.getMessage() == null ? root.getClass().getSimpleName() : oneLine(root.getMessage()));
    }

    public static String storeName() {
        return storeName;
    }

    /** {@code <store>: cannot <what>: <cause>}, one line. */
    public static String describe(String what, SQLException e) {
        return storeName + ": cannot " + what + ": " + cause(e);
    }

    static String describe(Path dataFile, String what, SQLException e) {
        return "event store " + dataFile + ": cannot " + what + ": " + cause(e);
    }

    static String emptyFile(Path data) {
        return "event store " + data + " is empty (0 bytes): its history is gone, and lo will not start a new store"
                + " over it: restore it from a backup, or move it aside (mv " + data + " " + data + ".empty)"
                + " with its password file (" + moveAside(passwordFileOf(data), "empty") + ") to start a new, empty store";
    }

    static String missingFile(Path data, Path passwordFile) {
        return "event store " + data + " is missing, but " + passwordFile + " says it was made (state=ready): its"
                + " history is gone, and lo will not start a new store in its place: restore it from a backup, or move"
                + " the password file aside too (" + moveAside(passwordFile, "old") + ") to start a new, empty store";
    }

    private static Path passwordFileOf(Path data) {
        return data.resolveSibling(H2Store.PASSWORD_FILE);
    }

    private static String moveAside(Path file, String suffix) {
        return "mv " + file + " " + file + "." + suffix;
    }

    /** The cause of an I/O failure in a few words. */
    static String cause(IOException e) {
        String kind = kindOf(e);
        return kind != null ? kind : oneLine(e.toString());
    }

    /** The cause of a store failure in one line, with advice where there is one. */
    public static String cause(SQLException e) {
        String kind = kindOf(e);
        if (kind != null) {
            return kind;
        }
        String message = String.valueOf(e.getMessage());
        if (message.contains("MVStoreException: Writing to") && message.contains("failed")) {
            // through AUTO_SERVER the client gets only the text, without the I/O cause
            return "writing the file failed (is the disk full?): free space on the state directory's file system"
                    + " and run the command again";
        }
        if (isDamaged(e)) {
            Path file = dataFile;
            return "the file is damaged or is not an H2 store (" + oneLine(deepest(e)) + "): restore it from a backup, or"
                    + " move it aside" + (file == null ? "" : " (mv " + file + " " + file + ".damaged) with its password"
                    + " file (" + moveAside(passwordFileOf(file), "damaged") + ")") + " to start a new, empty store";
        }
        return oneLine(e.getMessage());
    }

    /** Disk full, read-only, permission denied: from any message in the chain. */
    private static String kindOf(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
            if (m.contains("no space left on device") || m.contains("disk quota exceeded")) {
                return "the disk is full (No space left on device): free space and run the command again";
            }
            if (m.contains("read-only file system")) {
                return "the file system is read-only: make the state directory writable (lo.state-dir / LO_STATE_DIR)";
            }
            if (t instanceof AccessDeniedException || m.contains("permission denied")
                    || m.contains("operation not permitted")) {
                return "permission denied (" + oneLine(t.getMessage()) + "): lo needs to read and write the store's"
                        + " directory and files";
            }
        }
        return null;
    }

    /** H2 cannot read the file as a store: damaged, truncated or something else. */
    static boolean isDamaged(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && (s.getErrorCode() == 90030 || s.getErrorCode() == 90048)) {
                return true;  // FILE_CORRUPTED_1, FILE_VERSION_ERROR_1
            }
            if (t instanceof SQLException s && (s.getErrorCode() == 90028 || s.getErrorCode() == 90031)
                    && hasMvStoreCause(s)) {
                return true;  // IO_EXCEPTION while MVStore read the file
            }
        }
        return false;
    }

    private static boolean hasMvStoreCause(Throwable e) {
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            if (t.getClass().getName().equals("org.h2.mvstore.MVStoreException")) {
                String m = String.valueOf(t.getMessage());
                return m.contains("Reading from") || m.contains("corrupt") || m.contains("File header")
                        || m.contains("unsupported") || m.contains("format");
            }
        }
        return false;
    }

    private static String deepest(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t && t.getCause().getMessage() != null) {
            t = t.getCause();
            if (t.getClass().getName().equals("org.h2.mvstore.MVStoreException")) {
                break;
            }
        }
        String m = t.getMessage();
        return m == null ? t.getClass().getSimpleName() : m.replaceAll("sun\\.nio\\.ch\\.FileChannelImpl@\\w+", "the file");
    }

    /** The first line of a driver message, without H2's "SQL statement:" tail. */
    static String oneLine(String message) {
        if (message == null) {
            return "unknown error";
        }
        String line = message.strip();
        int nl = line.indexOf('\n');
        if (nl >= 0) {
            line = line.substring(0, nl);
        }
        if (line.endsWith("; SQL statement:")) {
            line = line.substring(0, line.length() - "; SQL statement:".length());
        }
        return line.length() > 500 ? line.substring(0, 500) + "..." : line;
    }
}
