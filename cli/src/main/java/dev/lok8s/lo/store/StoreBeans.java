package dev.lok8s.lo.store;

import dev.lok8s.lo.events.EventMetadata;
import dev.lok8s.lo.machine.Machine;
import dev.lok8s.lo.machine.MachineIdFile;
import io.agroal.api.AgroalDataSource;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Provider;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.flywaydb.core.Flyway;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * CDI wiring: the store, over the H2 file of the state directory by default, or over PostgreSQL
 * when {@code quarkus.datasource.postgresql.jdbc.url} is set, with the append hook the wiring
 * provides (the read models, {@code wiring.ReadModelBeans}). The connection pool is made here, when
 * a command first uses the store ({@link StorePool}), or earlier, beside the command's own start, when the
 * command line says it will use it ({@link #openEarly}).
 */
@ApplicationScoped
public class StoreBeans {

    /**
     * A PostgreSQL server has no file hand-over to wait out (H2's reason for RetryPolicy.DEFAULT's two
     * minutes): a restart or a network blip is retried for 30 s, then the command fails and says why.
     */
    static final RetryPolicy POSTGRES_RETRY = new RetryPolicy(30, Duration.ofMillis(50),
            Duration.ofSeconds(2), Duration.ofSeconds(30));

    /** How long the shutdown waits for an early open still under way before it closes the pool anyway. */
    static final Duration EARLY_OPEN_WAIT_AT_EXIT = Duration.ofSeconds(10);

    @Inject
    PostgresStoreConfig postgresConfig;

    @Inject
    H2StoreCredentials h2Credentials;

    /** When the close of the H2 file compacts it ({@link CompactionRule.Mode}); lo serve: every-close. */
    @ConfigProperty(name = "lo.store.compaction", defaultValue = "when-grown")
    String compaction;

    /** The store's one pool in this process; kept when opening the store failed, for the next try. */
    private AgroalDataSource pool;

    /** This process's decision on compacting the H2 file at close, made with the pool. */
    private CloseCompaction closing;

    /** The early open ({@link #openEarly}): whether the schema is current; null when none was started. */
    private FutureTask<Boolean> earlyOpen;

    /**
     * Starts opening the H2 store on a thread of its own, for a command that will use it, so that
     * H2's open (the file, AUTO_SERVER's server, the schema check) runs while the command builds its
     * model and reads its spec; the command then takes the open store from here. Only a store that
     * is already set up is opened early, and only for a first connection and the schema check: the
     * directory, the passwords, a migration and this machine's id are still made, and every failure
     * is still reported, by the command when it first uses the store ({@link #eventStore}), as
     * before (an early open that fails is forgotten and the command tries again). A store that is
     * opened early but never used is closed at exit like any other.
     */
    public synchronized void openEarly() {
        if (earlyOpen != null || pool != null || postgresConfig.jdbc().url().isPresent()) {
            return;
        }
        H2Store store;
        Optional<String> password;
        CompactionRule.Mode mode;
        try {
            store = h2Credentials.store();
            password = store.readyPassword();
            mode = CompactionRule.Mode.of(compaction);
        } catch (RuntimeException e) {
            return;  // the command says why, if it uses the store
        }
        if (password.isEmpty()) {
            return;  // a new store, or one to set up: made by the command, under the setup lock
        }
        FutureTask<Boolean> task = new FutureTask<>(() -> StoreSchema.isCurrentOnce(h2Pool(store, password.get(), mode)));
        earlyOpen = task;
        Thread.ofPlatform().name("lo-store-open").daemon().start(task);
    }

    /** The H2 pool, made once; its URL carries this process's compaction decision. */
    private synchronized AgroalDataSource h2Pool(H2Store store, String password, CompactionRule.Mode mode) {
        if (pool == null) {
            closing = CloseCompaction.decide(store, mode);
            pool = StorePool.h2(closing, password);
        }
        return pool;
    }

    /** Whether the early open found the schema current; null when there was none or it failed. */
    private Boolean earlyOpenResult(Duration wait) {
        FutureTask<Boolean> task;
        synchronized (this) {
            task = earlyOpen;
        }
        if (task == null) {
            return null;
        }
        try {
            return wait == null ? task.get() : task.get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

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
        // An early open under way is the command's own first try: wait for it (its failure is forgotten
        // here and met again below, with the retries and the message the command always had).
        Boolean currentSchema = earlyOpenResult(null);
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
        AgroalDataSource ds;
        if (pgUrl.isPresent()) {
            synchronized (this) {
                if (pool == null) {
                    pool = StorePool.postgres(pgUrl.get(), postgres.username(), postgres.password());
                }
                ds = pool;
            }
        } else {
            ds = h2Pool(h2Store, h2Store.prepare(), CompactionRule.Mode.of(compaction));
        }
        H2Store serialiser = h2Store;
        boolean migrated;
        try {
            // A current schema the early open saw is not checked again. Flyway itself (plain flyway-core,
            // not the Quarkus extension, whose start-up actions cost ~0.3 s of every command) is built
            // only when the schema needs migrating.
            migrated = !Boolean.TRUE.equals(currentSchema)
                    && StoreSchema.ensureCurrent(ds, () -> Flyway.configure().dataSource(ds)
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
        earlyOpenResult(EARLY_OPEN_WAIT_AT_EXIT);
        AgroalDataSource open;
        CloseCompaction decided;
        synchronized (this) {
            open = pool;
            decided = closing;
        }
        if (open != null) {
            open.close();
            if (decided != null) {
                decided.poolClosed();
            }
        }
    }
}
