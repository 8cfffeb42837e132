package dev.lok8s.lo.store;

import javax.sql.DataSource;

/**
 * A migrated, empty store for a test, on one of the engines lo supports. The contract tests run
 * once per {@link StoreEngine}.
 */
public interface TestStore extends AutoCloseable {

    StoreEngine engine();

    DataSource dataSource();

    /** JDBC URL, user and password, for a test's child processes. */
    String url();

    String user();

    String password();

    /**
     * Lets go of what this process holds open, so child processes are the only users (an H2 file is
     * then served by whichever of them opened it first). Nothing to do on a server.
     */
    default void releaseForOtherProcesses() throws Exception {
    }

    /** The environment a child process opens this store with (see {@link StoreEngine#fromEnvironment}). */
    default java.util.Map<String, String> childEnvironment() {
        return java.util.Map.of("LO_TEST_STORE_URL", url(), "LO_TEST_STORE_USER", user(),
                "LO_TEST_STORE_PASSWORD", password());
    }

    default EventStore eventStore() {
        return eventStore(dataSource());
    }

    /** A store over {@code dataSource} as lo builds it (its read models kept by the projector), as no machine in particular. */
    static EventStore eventStore(DataSource dataSource) {
        return eventStore(dataSource, dev.lok8s.lo.machine.Machine.unnamed());
    }

    /** A store over {@code dataSource} as lo on {@code machine} builds it. */
    static EventStore eventStore(DataSource dataSource, dev.lok8s.lo.machine.Machine machine) {
        return new EventStore(dataSource, machine, new dev.lok8s.lo.projection.Projector());
    }

    @Override
    void close() throws Exception;
}
