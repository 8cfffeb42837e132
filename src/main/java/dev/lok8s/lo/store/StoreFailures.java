package dev.lok8s.lo.store;

import java.net.URI;

/** One-line descriptions of why the store cannot be reached, naming the server. */
public final class StoreFailures {

    private StoreFailures() {
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
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        String first = message.strip().lines().findFirst().orElse(message).strip();
        return what + ": " + first;
    }
}
