package dev.lok8s.lo.store;

import dev.lok8s.lo.events.EventMetadata;
import dev.lok8s.lo.machine.Machine;
import dev.lok8s.lo.machine.MachineIdFile;
import dev.lok8s.lo.projection.RunHistory;
import dev.lok8s.lo.projection.SubnetMismatches;
import io.agroal.api.AgroalDataSource;
import io.quarkus.agroal.DataSource.DataSourceLiteral;
import io.quarkus.flyway.FlywayDataSource;
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

    /**
     * A PostgreSQL server has no file hand-over to wait out (H2's reason for RetryPolicy.DEFAULT's two
     * minutes): a restart or a network blip is retried for 30 s, then the command fails and says why.
     */
    static final RetryPolicy POSTGRES_RETRY = new RetryPolicy(30, java.time.Duration.ofMillis(50),
            java.time.Duration.ofSeconds(2), java.time.Duration.ofSeconds(30));

    /** This machine: its id from the state directory (created on first use), its host name. */
    @Produces
    @jakarta.inject.Singleton
    Machine machine(@ConfigProperty(name = "lo.state-dir") Optional<String> stateDir) {
        try {
            return MachineIdFile.load(StoreLocation.stateDir(stateDir.orElse(null), System::getenv),
                    EventMetadata.hostName());
        } catch (MachineIdFile.MachineIdException e) {
            throw new StoreException(e.getMessage(), e);
        }
    }

    @Produces
    @ApplicationScoped
    EventStore eventStore(@Any Instance<AgroalDataSource> dataSources, @Any Instance<Flyway> flyways,
                          @ConfigProperty(name = "quarkus.datasource.postgresql.jdbc.url") Optional<String> pgUrl,
                          Machine machine) {
        AgroalDataSource ds = pgUrl.isPresent()
                ? dataSources.select(new DataSourceLiteral("postgresql")).get()
                : dataSources.select(Default.Literal.INSTANCE).get();
        boolean migrated;
        try {
            migrated = StoreSchema.ensureCurrent(ds, () -> pgUrl.isPresent()
                    ? flyways.select(FlywayDataSource.FlywayDataSourceLiteral.of("postgresql")).get()
                    : flyways.select(Default.Literal.INSTANCE).get());
        } catch (RuntimeException e) {
            // Flyway's own message spans lines; the cause (refused, password, unknown host) is at the root
            throw new StoreException(StoreFailures.oneLine("cannot open the event store"
                    + pgUrl.map(u -> " (" + StoreFailures.server(u) + ")").orElse(""), e), e);
        }
        EventStore store = pgUrl.isPresent()
                ? new EventStore(ds, machine, new dev.lok8s.lo.projection.Projector(), java.time.Clock.systemUTC(),
                POSTGRES_RETRY)
                : new EventStore(ds, machine);
        if (migrated) {
            // a migration may have emptied read models to refill them with a new shape (V12: per machine)
            store.catchUpProjections();
        }
        return store;
    }

    @Produces
    @ApplicationScoped
    RunHistory runHistory(EventStore store) {
        return new RunHistory(store);
    }

    @Produces
    @ApplicationScoped
    dev.lok8s.lo.projection.Machines machines(EventStore store) {
        return new dev.lok8s.lo.projection.Machines(store.dataSource(), store.machine());
    }

    @Produces
    @ApplicationScoped
    SubnetMismatches subnetMismatches(EventStore store) {
        return new SubnetMismatches(store.dataSource(), store.machine().id());
    }
}
