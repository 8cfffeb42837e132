package dev.lok8s.lo.store;

import javax.sql.DataSource;

/** A migrated store in a database of its own on the test PostgreSQL server, dropped on close. */
public final class PostgresStore implements TestStore {

    private final String url;
    private final io.agroal.api.AgroalDataSource dataSource;

    private PostgresStore(String url) {
        this.url = url;
        this.dataSource = TestPostgres.dataSource(url);
    }

    public static PostgresStore create() {
        return new PostgresStore(TestPostgres.createMigratedDatabase());
    }

    @Override
    public StoreEngine engine() {
        return StoreEngine.POSTGRESQL;
    }

    @Override
    public DataSource dataSource() {
        return dataSource;
    }

    @Override
    public String url() {
        return url;
    }

    @Override
    public String user() {
        return TestPostgres.server().user();
    }

    @Override
    public String password() {
        return TestPostgres.server().password();
    }

    @Override
    public void close() {
        dataSource.close();
        TestPostgres.dropDatabase(url);
    }
}
