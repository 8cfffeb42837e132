package dev.lok8s.lo.status;

import dev.lok8s.lo.engine.ContainerDefinition;
import dev.lok8s.lo.engine.ContainerEngine;
import dev.lok8s.lo.engine.ContainerInfo;
import dev.lok8s.lo.engine.EngineUnavailableException;
import dev.lok8s.lo.engine.NetworkDefinition;
import dev.lok8s.lo.engine.NetworkInfo;
import dev.lok8s.lo.machine.Machine;
import dev.lok8s.lo.projection.Projector;
import dev.lok8s.lo.registry.RegistryProbe;
import dev.lok8s.lo.store.EventStore;
import dev.lok8s.lo.store.StoreException;
import dev.lok8s.lo.store.TempStore;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.logging.Logger;

import static dev.lok8s.lo.status.StatusFixture.PLAN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code lo registry status} reads the log while it observes the engine; what it reports, and the
 * failure it reports when something cannot be read, is what a look at one after the other gives:
 * the engine's failure first, else the store's, thrown as it was thrown.
 */
class StatusSideBySideTest {

    /** How long a test engine waits for the store to be asked before it answers anyway. */
    static final long WAIT_SECONDS = 5;
    static final Machine MACHINE = new Machine("3f2504e0-4f89-11d3-9a0c-0305e82c3301", "host");

    @Test
    void theLogIsReadWhileTheEngineIsObserved() throws Exception {
        try (TempStore temp = TempStore.create()) {
            CountDownLatch storeAsked = new CountDownLatch(1);
            Engine engine = new Engine(storeAsked, false);
            EventStore store = new EventStore(new Signalling(temp.dataSource, storeAsked, null, null), MACHINE,
                    new Projector());

            RegistryStatusReport report = new RegistryStatusService(store, engine,
                    new RegistryProbe(Duration.ZERO, Duration.ZERO), null).report(PLAN);

            assertThat(engine.sawTheStoreAsked).as("the store was asked before the engine answered").isTrue();
            assertThat(report.all()).as("every planned registry, none on the machine")
                    .hasSize(PLAN.registries().size())
                    .allSatisfy(r -> assertThat(r.display()).isEqualTo("Missing"));
        }
    }

    @Test
    void aStoreFailingWhileTheEngineIsObservedIsTheErrorAsItWasThrown() {
        CountDownLatch storeAsked = new CountDownLatch(1);
        Engine engine = new Engine(storeAsked, false);
        EventStore store = new EventStore(new Signalling(null, storeAsked, null,
                new SQLException("Database is already closed")), MACHINE, new Projector());

        assertThatThrownBy(() -> new RegistryStatusService(store, engine,
                new RegistryProbe(Duration.ZERO, Duration.ZERO), null).report(PLAN))
                .as("the store's own exception, not one wrapping it")
                .isExactlyInstanceOf(StoreException.class)
                .hasMessageStartingWith("event store: cannot read")
                .hasMessageContaining("Database is already closed");
        assertThat(engine.sawTheStoreAsked).as("the engine answered after the store failed").isTrue();
    }

    @Test
    void anEngineThatCannotBeReachedComesBeforeAStoreThatFailedFirst() {
        CountDownLatch storeAsked = new CountDownLatch(1);
        Engine engine = new Engine(storeAsked, true);
        EventStore store = new EventStore(new Signalling(null, storeAsked, null,
                new SQLException("Database is already closed")), MACHINE, new Projector());

        assertThatThrownBy(() -> new RegistryStatusService(store, engine,
                new RegistryProbe(Duration.ZERO, Duration.ZERO), null).report(PLAN))
                .as("as when the engine is looked at first")
                .isExactlyInstanceOf(EngineUnavailableException.class)
                .hasMessageContaining("cannot reach the Docker Engine");
        assertThat(engine.sawTheStoreAsked).as("the store had failed when the engine did").isTrue();
    }

    @Test
    void anEngineFailureIsReportedOnceTheStoreIsNoLongerBeingOpened() throws Exception {
        try (TempStore temp = TempStore.create()) {
            CountDownLatch storeAsked = new CountDownLatch(1);
            AtomicBoolean storeDone = new AtomicBoolean();
            // the engine fails at once; the store takes a while to hand out its connection
            Engine engine = new Engine(new CountDownLatch(0), true);
            EventStore store = new EventStore(new Signalling(temp.dataSource, storeAsked, storeDone, null) {
                @Override
                public Connection getConnection() throws SQLException {
                    try {
                        Thread.sleep(300);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new SQLException("interrupted");
                    }
                    return super.getConnection();
                }
            }, MACHINE, new Projector());

            assertThatThrownBy(() -> new RegistryStatusService(store, engine,
                    new RegistryProbe(Duration.ZERO, Duration.ZERO), null).report(PLAN))
                    .isExactlyInstanceOf(EngineUnavailableException.class);
            assertThat(storeDone).as("the store's read ended before the command did").isTrue();
        }
    }

    /** A data source that says when it is first asked for a connection, and can fail instead. */
    static class Signalling implements DataSource {
        private final DataSource real;
        private final CountDownLatch asked;
        private final AtomicBoolean done;
        private final SQLException failure;

        Signalling(DataSource real, CountDownLatch asked, AtomicBoolean done, SQLException failure) {
            this.real = real;
            this.asked = asked;
            this.done = done;
            this.failure = failure;
        }

        @Override
        public Connection getConnection() throws SQLException {
            try {
                if (failure != null) {
                    throw failure;
                }
                return real.getConnection();
            } finally {
                asked.countDown();
                if (done != null) {
                    done.set(true);
                }
            }
        }

        @Override
        public Connection getConnection(String user, String password) throws SQLException {
            return getConnection();
        }

        @Override
        public PrintWriter getLogWriter() {
            return null;
        }

        @Override
        public void setLogWriter(PrintWriter out) {
        }

        @Override
        public void setLoginTimeout(int seconds) {
        }

        @Override
        public int getLoginTimeout() {
            return 0;
        }

        @Override
        public Logger getParentLogger() throws SQLFeatureNotSupportedException {
            throw new SQLFeatureNotSupportedException();
        }

        @Override
        public <T> T unwrap(Class<T> type) throws SQLException {
            throw new SQLException("not a wrapper");
        }

        @Override
        public boolean isWrapperFor(Class<?> type) {
            return false;
        }
    }

    /**
     * An engine with nothing on it whose container list waits (bounded) until the store was asked, then answers
     * or fails as an engine that cannot be reached; it notes whether the store was asked by then.
     */
    static final class Engine implements ContainerEngine {
        private final CountDownLatch storeAsked;
        private final boolean unreachable;
        volatile boolean sawTheStoreAsked;

        Engine(CountDownLatch storeAsked, boolean unreachable) {
            this.storeAsked = storeAsked;
            this.unreachable = unreachable;
        }

        @Override
        public List<ContainerInfo> listContainers(Map<String, String> labels) {
            try {
                sawTheStoreAsked = storeAsked.await(WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (unreachable) {
                throw new EngineUnavailableException("cannot reach the Docker Engine at unix:///nowhere.sock", null);
            }
            return List.of();
        }

        @Override
        public List<NetworkInfo> listNetworks() {
            return List.of();
        }

        @Override
        public List<String> listVolumes(Map<String, String> labels) {
            return List.of();
        }

        @Override
        public boolean imagePresent(String image) {
            return true;
        }

        @Override
        public Optional<ContainerInfo> findContainer(String name) {
            return Optional.empty();
        }

        @Override
        public void ping() {
        }

        @Override
        public String endpoint() {
            return "test://";
        }

        @Override
        public Optional<NetworkInfo> findNetwork(String name) {
            return Optional.empty();
        }

        @Override
        public NetworkInfo createNetwork(NetworkDefinition definition) {
            throw new UnsupportedOperationException("status changes nothing");
        }

        @Override
        public void removeNetwork(String name) {
            throw new UnsupportedOperationException("status changes nothing");
        }

        @Override
        public void connect(String network, String container, String ipv4) {
            throw new UnsupportedOperationException("status changes nothing");
        }

        @Override
        public void disconnect(String network, String container, boolean force) {
            throw new UnsupportedOperationException("status changes nothing");
        }

        @Override
        public ContainerInfo runContainer(ContainerDefinition definition) {
            throw new UnsupportedOperationException("status changes nothing");
        }

        @Override
        public void startContainer(String name) {
            throw new UnsupportedOperationException("status changes nothing");
        }

        @Override
        public void stopContainer(String name) {
            throw new UnsupportedOperationException("status changes nothing");
        }

        @Override
        public int waitForExit(String name, Duration timeout) {
            throw new UnsupportedOperationException("status changes nothing");
        }

        @Override
        public void removeContainer(String name) {
            throw new UnsupportedOperationException("status changes nothing");
        }

        @Override
        public String logs(String container, int lines) {
            return "";
        }

        @Override
        public String timestampedLogs(String container, Instant since) {
            return "";
        }

        @Override
        public void pullImage(String image, Consumer<String> progress) {
            throw new UnsupportedOperationException("status changes nothing");
        }

        @Override
        public boolean volumeExists(String name) {
            return false;
        }

        @Override
        public void createVolume(String name, Map<String, String> labels) {
            throw new UnsupportedOperationException("status changes nothing");
        }

        @Override
        public void removeVolume(String name) {
            throw new UnsupportedOperationException("status changes nothing");
        }

        @Override
        public Map<String, Long> volumeSizes() {
            return Map.of();
        }
    }
}
