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

    default EventStore eventStore() {
        return new EventStore(dataSource());
    }

    @Override
    void close() throws Exception;
}
