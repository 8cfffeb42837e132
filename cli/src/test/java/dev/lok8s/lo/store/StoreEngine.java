package dev.lok8s.lo.store;

import org.flywaydb.core.Flyway;

import javax.sql.DataSource;

/** The engines the store's contract tests run on: embedded H2 (the default store) and PostgreSQL (a team's). */
public enum StoreEngine {
    H2,
    POSTGRESQL;

    /** A new, migrated, empty store. */
    public TestStore open() {
        return switch (this) {
            case H2 -> TempStore.create();
            case POSTGRESQL -> PostgresStore.create();
        };
    }

    /** A data source for a store's URL, as a child process opens it. */
    public static DataSource dataSource(String url, String user, String password) {
        if (url.startsWith("jdbc:postgresql:")) {
            return TestPostgres.dataSource(url, user, password);
        }
        return TempStore.dataSource(url);  // lo's own user and password file (H2Store)
    }

    /** The store a child process was given by {@link TestStore#childEnvironment}. */
    public static DataSource fromEnvironment() {
        return dataSource(System.getenv("LO_TEST_STORE_URL"), System.getenv("LO_TEST_STORE_USER"),
                System.getenv("LO_TEST_STORE_PASSWORD"));
    }

    public static void migrate(String url, String user, String password) {
        Flyway.configure().dataSource(url, user, password).locations("classpath:db/migration").load().migrate();
    }
}
