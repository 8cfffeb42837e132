package dev.lok8s.lo.store;

import io.smallrye.config.ConfigMapping;

import java.util.Optional;

/**
 * Where a PostgreSQL store is: {@code quarkus.datasource.postgresql.jdbc.url}, {@code .username},
 * {@code .password} (env {@code QUARKUS_DATASOURCE_POSTGRESQL_JDBC_URL}, ...). The keys are the
 * ones lo has always read; lo builds its pool itself ({@link StorePool}), and this mapping is what
 * makes them known settings. Without a URL, the store is the H2 file of the state directory.
 */
@ConfigMapping(prefix = "quarkus.datasource.postgresql")
public interface PostgresStoreConfig {

    Jdbc jdbc();

    Optional<String> username();

    Optional<String> password();

    interface Jdbc {
        /** {@code jdbc:postgresql://host:port/database}; set: the store is kept there. */
        Optional<String> url();
    }
}
