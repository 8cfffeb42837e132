package dev.lok8s.lo.store;

import dev.lok8s.lo.projection.RunHistory;
import dev.lok8s.lo.projection.SubnetMismatches;
import io.agroal.api.AgroalDataSource;
import io.quarkus.agroal.DataSource.DataSourceLiteral;
import org.flywaydb.core.Flyway;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Default;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.Optional;

/**
 * CDI wiring: the store and its queries over whichever datasource is active (H2 by default,
 * the datasource named {@code postgresql} when its URL is configured).
 */
@ApplicationScoped
public class StoreBeans {

    @Produces
    @ApplicationScoped
    EventStore eventStore(@Any Instance<AgroalDataSource> dataSources,
                          @ConfigProperty(name = "quarkus.datasource.postgresql.jdbc.url") Optional<String> pgUrl,
                          H2StoreCredentials h2) {
        H2Store h2Store = null;
        if (pgUrl.isEmpty()) {
            // Before the pool's first connection: a bad directory, an empty file or a wrong password
            // file end here in one line, not inside the driver.
            h2Store = h2.store();
            StoreFailures.nameStore(h2Store.dataFile());
            h2Store.prepare();
        }
        AgroalDataSource ds = pgUrl.isPresent()
                ? dataSources.select(new DataSourceLiteral("postgresql")).get()
                : dataSources.select(Default.Literal.INSTANCE).get();
        H2Store serialiser = h2Store;
        // Flyway itself (plain flyway-core, not the Quarkus extension, whose start-up actions cost
        // ~0.3 s of every command) is built only when the schema needs migrating.
        StoreSchema.ensureCurrent(ds, () -> Flyway.configure().dataSource(ds)
                        .locations("classpath:db/migration").load(),
                migrate -> {
                    if (serialiser != null) {
                        serialiser.exclusively(migrate);
                    } else {
                        migrate.run();
                    }
                });
        if (h2Store != null) {
            h2Store.tightenFiles();  // the lock file this process may just have made
            StoreRecovery.register(() -> ds.flush(AgroalDataSource.FlushMode.ALL));
        }
        return new EventStore(ds);
    }

    @Produces
    @ApplicationScoped
    RunHistory runHistory(EventStore store) {
        return new RunHistory(store.dataSource());
    }

    @Produces
    @ApplicationScoped
    SubnetMismatches subnetMismatches(EventStore store) {
        return new SubnetMismatches(store.dataSource());
    }
}
