package dev.lok8s.lo.store;

import dev.lok8s.lo.events.EventMetadata;
import dev.lok8s.lo.machine.Machine;
import dev.lok8s.lo.machine.MachineIdFile;
import io.agroal.api.AgroalDataSource;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Provider;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.flywaydb.core.Flyway;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * CDI wiring: the store, over the H2 file of the state directory by default, or over PostgreSQL
 * when {@code quarkus.datasource.postgresql.jdbc.url} is set, with the append hook the wiring
 * provides (the read models, {@code wiring.ReadModelBeans}). The connection pool is made here, when
 * a command first uses the store ({@link StorePool}).
 */
@ApplicationScoped
public class StoreBeans {

    /**
     * A PostgreSQL server has no file hand-over to wait out (H2's reason for RetryPolicy.DEFAULT's two
     * minutes): a restart or a network blip is retried for 30 s, then the command fails and says why.
     */
    static final RetryPolicy POSTGRES_RETRY = new RetryPolicy(30, Duration.ofMillis(50),
            Duration.ofSeconds(2), Duration.ofSeconds(30));

    /** The store's one pool in this process; kept when opening the store failed, for the next try. */
    private AgroalDataSource pool;

    /** This machine: its id from the state directory (created on first use), its host name. */
    @Produces
    @Singleton
    Machine machine(@ConfigProperty(name = "lo.state-dir") Optional<String> stateDir, PostgresStoreConfig postgres) {
        Path dir = StoreLocation.stateDir(stateDir.orElse(null), System::getenv);
        if (postgres.jdbc().url().isEmpty()) {
            // the H2 store's directory is refused before anything is made in it, the machine id included
            StoreLocation.checked(dir);
        }
        try {
            return MachineIdFile.load(dir, EventMetadata.hostName());
        } catch (MachineIdFile.MachineIdException e) {
            throw new StoreException(e.getMessage(), e);
        }
    }

    @Produces
    @ApplicationScoped
    EventStore eventStore(PostgresStoreConfig postgres, H2StoreCredentials h2, Provider<Machine> thisMachine,
                          AppendHook hook) {
        Optional<String> pgUrl = postgres.jdbc().url();
        H2Store h2Store = null;
        if (pgUrl.isEmpty()) {
            // Before the pool's first connection: a bad directory, an empty file or a wrong password
            // file end here in one line, not inside the driver.
            h2Store = h2.store();
            StoreFailures.nameStore(h2Store.dataFile());
            h2Store.prepare();
        } else {
            StoreFailures.nameServer(pgUrl.get());
        }
        // After the checks above: the machine id is created in the state directory, which must not
        // be made when its path is refused
        Machine machine = thisMachine.get();
        if (pool == null) {
            pool = pgUrl.isPresent()
                    ? StorePool.postgres(pgUrl.get(), postgres.username(), postgres.password())
                    : StorePool.h2(h2Store);
        }
        AgroalDataSource ds = pool;
        H2Store serialiser = h2Store;
        boolean migrated;
        try {
            // Flyway itself (plain flyway-core, not the Quarkus extension, whose start-up actions cost
            // ~0.3 s of every command) is built only when the schema needs migrating.
            migrated = StoreSchema.ensureCurrent(ds, () -> Flyway.configure().dataSource(ds)
                            .locations("classpath:" + StoreSchema.MIGRATIONS).load(),
                    migrate -> {
                        if (serialiser != null) {
                            serialiser.exclusively(migrate);
                        } else {
                            migrate.run();
                        }
                    }, pgUrl.isPresent() ? POSTGRES_RETRY : RetryPolicy.DEFAULT);
        } catch (StoreException e) {
            throw e;  // already one line naming the store
        } catch (RuntimeException e) {
            // the driver's own message spans lines; the cause (refused, password, unknown host) is at the root
            throw new StoreException(StoreFailures.oneLine("cannot open the event store"
                    + pgUrl.map(u -> " (" + StoreFailures.server(u) + ")").orElse(""), e), e);
        }
        if (h2Store != null) {
            h2Store.tightenFiles();  // the lock file this process may just have made
            StoreRecovery.register(() -> ds.flush(AgroalDataSource.FlushMode.ALL));
        }
        EventStore store = pgUrl.isPresent()
                ? new EventStore(ds, machine, hook, Clock.systemUTC(), POSTGRES_RETRY)
                : new EventStore(ds, machine, hook);
        if (migrated) {
            // a migration may have emptied read models to refill them with a new shape (V12: per machine)
            store.catchUpProjections();
        }
        return store;
    }

    /** At shutdown: the pool's connections closed (an H2 file is handed over to the next process). */
    @PreDestroy
    void closePool() {
        if (pool != null) {
            pool.close();
        }
    }
}
