package dev.lok8s.lo.cache;

import dev.lok8s.lo.engine.ContainerDefinition;
import dev.lok8s.lo.engine.ContainerEngine;
import dev.lok8s.lo.engine.ContainerInfo;
import dev.lok8s.lo.engine.NetworkDefinition;
import dev.lok8s.lo.engine.NetworkInfo;
import dev.lok8s.lo.events.EventMetadata;
import dev.lok8s.lo.events.MirrorLogRead;
import dev.lok8s.lo.events.Streams;
import dev.lok8s.lo.machine.Machine;
import dev.lok8s.lo.plan.PlannedRegistry;
import dev.lok8s.lo.plan.RegistryPlan;
import dev.lok8s.lo.projection.MirrorTraffic;
import dev.lok8s.lo.projection.ReadModels;
import dev.lok8s.lo.spec.SpecBuilder;
import dev.lok8s.lo.store.EventStore;
import dev.lok8s.lo.store.ExpectedVersion;
import dev.lok8s.lo.store.StoreEngine;
import dev.lok8s.lo.store.StoredEvent;
import dev.lok8s.lo.store.TestStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two usage reads of one mirror's log at once, each through its own store object (as two processes: two
 * {@code lo registry usage}, or usage beside {@code lo serve}), on H2 and PostgreSQL. The second reader
 * has read the stream's version and its cursor when the first records its read; its own append then
 * finds the stream moved and records only the lines the first did not: the figures are those of one read.
 */
@ParameterizedClass
@EnumSource(StoreEngine.class)
class MirrorLogServiceTest {

    @Parameter
    StoreEngine engine;

    static TestStore temp;
    static EventStore processA;
    static EventStore processB;

    @BeforeParameterizedClassInvocation
    static void open(StoreEngine engine) {
        temp = engine.open();
        processA = temp.eventStore();
        processB = TestStore.eventStore(temp.dataSource());
    }

    @AfterParameterizedClassInvocation
    static void close() throws Exception {
        temp.close();
    }

    static final RegistryPlan PLAN = SpecBuilder.defaultCluster().plan();

    /** The default plan's docker.io mirror under a container name of its own, so each test has its own stream. */
    static PlannedRegistry mirror() {
        PlannedRegistry m = PLAN.registries().stream().filter(PlannedRegistry::isMirror).findFirst().orElseThrow();
        return new PlannedRegistry(m.name(), m.role(), "lotest-mirror-" + UUID.randomUUID(), m.network(), m.ip(),
                m.hostname(), m.url(), m.upstream(), m.volume(), m.config(), m.configHash(), m.labels(), m.hostPort());
    }

    /** One read of the whole log, as a single reader records it. */
    static final MirrorLog.Summary ONE_READ = MirrorLog.read(MirrorLogTest.FIRST + MirrorLogTest.SECOND, null,
            Duration.ofSeconds(5));

    static long[] counts(PlannedRegistry mirror) {
        long[] sum = new long[4];
        MirrorTraffic traffic = ReadModels.of(processA).mirrorTraffic();
        for (MirrorTraffic.Counts c : traffic.totals(List.of(mirror.container()), null)) {
            sum[0] += c.hits();
            sum[1] += c.misses();
            sum[2] += c.hitBytes();
            sum[3] += c.missBytes();
        }
        return sum;
    }

    static long[] expected(MirrorLog.Summary read) {
        long[] sum = new long[4];
        for (MirrorLogRead.Traffic t : read.traffic()) {
            sum[0] += t.hits();
            sum[1] += t.misses();
            sum[2] += t.hitBytes();
            sum[3] += t.missBytes();
        }
        return sum;
    }

    static List<MirrorLogRead> reads(PlannedRegistry mirror) {
        return processA.readStream(Streams.mirror(mirror.container())).stream().map(StoredEvent::event)
                .map(MirrorLogRead.class::cast).toList();
    }

    @Test
    void whileOneReaderReadsTheLogAnotherRecordsTheSameSpanFirstAndTheLinesAreCountedOnce() {
        PlannedRegistry mirror = mirror();
        MirrorLogService first = new MirrorLogService(processA, new OneMirror(mirror, MirrorLogTest.FIRST, null));
        // the second reader has read the stream's version and its cursor when the first records its read
        MirrorLogService second = new MirrorLogService(processB, new OneMirror(mirror,
                MirrorLogTest.FIRST + MirrorLogTest.SECOND,
                name -> first.catchUp(PLAN, mirror, null, "lo registry usage")));

        second.catchUp(PLAN, mirror, null, "lo registry usage");

        assertThat(counts(mirror)).as("hits, misses, hit bytes, miss bytes: those of one read")
                .containsExactly(expected(ONE_READ));
        assertThat(reads(mirror)).as("the first reader's span, then only the lines after it")
                .extracting(MirrorLogRead::until)
                .containsExactly(MirrorLog.read(MirrorLogTest.FIRST, null, Duration.ofSeconds(5)).until(),
                        ONE_READ.until());
    }

    @Test
    void whenTheOtherReaderRecordedEverythingTheSecondRecordsNothing() {
        PlannedRegistry mirror = mirror();
        String log = MirrorLogTest.FIRST + MirrorLogTest.SECOND;
        MirrorLogService first = new MirrorLogService(processA, new OneMirror(mirror, log, null));
        MirrorLogService second = new MirrorLogService(processB, new OneMirror(mirror, log,
                name -> first.catchUp(PLAN, mirror, null, "lo serve")));

        second.catchUp(PLAN, mirror, null, "lo registry usage");
        second.catchUp(PLAN, mirror, null, "lo registry usage");

        assertThat(counts(mirror)).containsExactly(expected(ONE_READ));
        assertThat(reads(mirror)).hasSize(1);
    }

    @Test
    void aReadAnotherMachineRecordsOnAMirrorOfTheSameNameCostsThisMachinesReadNothing() {
        PlannedRegistry mirror = mirror();
        EventStore otherMachine = TestStore.eventStore(temp.dataSource(), new Machine(UUID.randomUUID().toString(),
                "other-host"));
        MirrorLogService mine = new MirrorLogService(processB, new OneMirror(mirror,
                MirrorLogTest.FIRST + MirrorLogTest.SECOND, name -> otherMachine.append(Streams.mirror(name),
                        ExpectedVersion.ANY, List.of(new MirrorLogRead("x.dev", "x", name, "their-id",
                                Instant.parse("2026-12-07T15:00:00Z"), List.of(), List.of(
                                new MirrorLogRead.Traffic(Instant.parse("2026-12-07T15:00:00Z"), "10.1.1.1", 7, 7, 7, 7)),
                                0, false)),
                        EventMetadata.local(null, "lo registry usage", "test"))));

        mine.catchUp(PLAN, mirror, null, "lo registry usage");

        assertThat(counts(mirror)).as("this machine's figures").containsExactly(expected(ONE_READ));
        assertThat(processA.readStream(Streams.mirror(mirror.container()))).hasSize(2);
    }

    /**
     * The engine as a usage read sees it: one mirror's container and its log; {@code whileReading} runs once,
     * while the log is being read (after the reader looked at the stream), as another process would.
     */
    static final class OneMirror implements ContainerEngine {
        private final PlannedRegistry mirror;
        private final String log;
        private Consumer<String> whileReading;

        OneMirror(PlannedRegistry mirror, String log, Consumer<String> whileReading) {
            this.mirror = mirror;
            this.log = log;
            this.whileReading = whileReading;
        }

        @Override
        public Optional<ContainerInfo> findContainer(String name) {
            return name.equals(mirror.container())
                    ? Optional.of(new ContainerInfo("c-" + name, name, "registry", "running", Map.of(), Map.of()))
                    : Optional.empty();
        }

        @Override
        public String timestampedLogs(String container, Instant since) {
            Consumer<String> other = whileReading;
            whileReading = null;
            if (other != null) {
                other.accept(container);
            }
            return log;
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
            throw new UnsupportedOperationException();
        }

        @Override
        public List<NetworkInfo> listNetworks() {
            throw new UnsupportedOperationException();
        }

        @Override
        public NetworkInfo createNetwork(NetworkDefinition definition) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void removeNetwork(String name) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void connect(String network, String container, String ipv4) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void disconnect(String network, String container, boolean force) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<ContainerInfo> listContainers(Map<String, String> labels) {
            throw new UnsupportedOperationException();
        }

        @Override
        public ContainerInfo runContainer(ContainerDefinition definition) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void startContainer(String name) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void stopContainer(String name) {
            throw new UnsupportedOperationException();
        }

        @Override
        public int waitForExit(String name, Duration timeout) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void removeContainer(String name) {
            throw new UnsupportedOperationException();
        }

        @Override
        public String logs(String container, int lines) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean imagePresent(String image) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void pullImage(String image, Consumer<String> progress) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean volumeExists(String name) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void createVolume(String name, Map<String, String> labels) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void removeVolume(String name) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<String> listVolumes(Map<String, String> labels) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Map<String, Long> volumeSizes() {
            throw new UnsupportedOperationException();
        }
    }
}
