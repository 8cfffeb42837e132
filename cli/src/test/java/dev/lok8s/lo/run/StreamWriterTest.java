package dev.lok8s.lo.run;

import dev.lok8s.lo.events.EventMetadata;
import dev.lok8s.lo.events.LoEvent;
import dev.lok8s.lo.events.MirrorStarted;
import dev.lok8s.lo.events.NetworkAdopted;
import dev.lok8s.lo.events.NetworkCreated;
import dev.lok8s.lo.events.RegistryRemoved;
import dev.lok8s.lo.events.RunStarted;
import dev.lok8s.lo.events.StepCompleted;
import dev.lok8s.lo.events.StepOutcome;
import dev.lok8s.lo.events.Streams;
import dev.lok8s.lo.plan.Scope;
import dev.lok8s.lo.reconcile.StepFailedException;
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

import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Two runs of two projects writing one shared network's stream, each through its own store object (as two
 * processes do), on H2 and PostgreSQL: the one that appends second expected the version it read, is told
 * the stream moved, and records only what the other did not.
 */
@ParameterizedClass
@EnumSource(StoreEngine.class)
class StreamWriterTest {

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

    static final String MIRROR = "lok8s-registry-io-docker";

    static MirrorStarted mirror(String project, String net) {
        return new MirrorStarted(project + ".dev", project, MIRROR, "io-docker", Scope.SHARED, net, "10.125.200.150",
                "registry:2.8.2", "h1", "https://registry-1.docker.io");
    }

    /** A run as RunLifecycle starts one: its stream begun, the shared network's read before deciding. */
    static StreamWriter run(EventStore store, UUID runId, String networkStream) {
        RunStreams streams = new RunStreams();
        EventMetadata meta = EventMetadata.local(runId, "lo provision", "test");
        streams.observed(Streams.run(runId), store.append(Streams.run(runId), ExpectedVersion.NO_STREAM,
                List.of(new RunStarted(runId, "provision", "x.dev", "x", "hash", 1, "host")), meta).streamVersion());
        streams.observed(networkStream, store.readStreamSince(networkStream, 0).version());
        return new StreamWriter(store, meta, runId, streams);
    }

    static List<LoEvent> events(String stream) {
        return processA.readStream(stream).stream().map(StoredEvent::event).toList();
    }

    @Test
    void bothRunsReadTheStreamThenRecordTheNetworkAndTheMirrorEachFactOnce() {
        String net = "shared-" + UUID.randomUUID();
        String stream = Streams.network(net);
        StreamWriter a = run(processA, UUID.randomUUID(), stream);
        StreamWriter b = run(processB, UUID.randomUUID(), stream);

        a.append(stream, List.of(new NetworkCreated("a.dev", "a", net, "10.125.200.0/24", Scope.SHARED)));
        a.append(stream, List.of(mirror("a", net)));
        // b decided on the empty stream: it lost the race for both and adopted them
        b.append(stream, List.of(new NetworkAdopted("b.dev", "b", net, "10.125.200.0/24", Scope.SHARED)));
        b.append(stream, List.of(mirror("b", net)));

        assertThat(events(stream)).as("the shared network's stream").containsExactly(
                new NetworkCreated("a.dev", "a", net, "10.125.200.0/24", Scope.SHARED), mirror("a", net),
                new NetworkAdopted("b.dev", "b", net, "10.125.200.0/24", Scope.SHARED));
        assertThat(processA.readStream(stream)).extracting(StoredEvent::streamVersion).containsExactly(1, 2, 3);
    }

    @Test
    void theFactTheOtherRunRecordsAfterThisRunsFirstConflictIsNotRepeatedEither() {
        String net = "shared-" + UUID.randomUUID();
        String stream = Streams.network(net);
        StreamWriter a = run(processA, UUID.randomUUID(), stream);
        StreamWriter b = run(processB, UUID.randomUUID(), stream);

        a.append(stream, List.of(new NetworkCreated("a.dev", "a", net, "10.125.200.0/24", Scope.SHARED)));
        b.append(stream, List.of(new NetworkAdopted("b.dev", "b", net, "10.125.200.0/24", Scope.SHARED)));
        a.append(stream, List.of(mirror("a", net)));   // a conflicts with b's adoption, appends after it
        b.append(stream, List.of(mirror("b", net)));   // b conflicts with a's mirror: already recorded

        assertThat(events(stream).stream().filter(e -> e instanceof MirrorStarted)).as("mirror facts").hasSize(1);
        assertThat(processA.readStream(stream)).extracting(StoredEvent::streamVersion).containsExactly(1, 2, 3);
    }

    @Test
    void anOppositeFactFailsTheStepWithItsReasonAndWritesNothing() {
        String net = "shared-" + UUID.randomUUID();
        String stream = Streams.network(net);
        StreamWriter a = run(processA, UUID.randomUUID(), stream);
        StreamWriter b = run(processB, UUID.randomUUID(), stream);

        a.append(stream, List.of(mirror("a", net), new RegistryRemoved("a.dev", "a", MIRROR)));
        assertThatThrownBy(() -> b.append(stream, List.of(mirror("b", net))))
                .isInstanceOfSatisfying(StepFailedException.class, e -> {
                    assertThat(e.reason().message()).contains(stream).contains(MIRROR);
                    assertThat(e.reason().fix()).isNotBlank();
                });
        assertThat(processA.readStream(stream)).hasSize(2);
    }

    @Test
    void anotherWriterOnTheRunsOwnStreamEndsTheRunWithoutInterleaving() {
        UUID runId = UUID.randomUUID();
        String stream = Streams.network("shared-" + UUID.randomUUID());
        StreamWriter mine = run(processA, runId, stream);
        processB.append(Streams.run(runId), ExpectedVersion.ANY, List.of(new StepCompleted(runId, "x.dev", "x",
                "network:n", StepOutcome.created, 1)), EventMetadata.local(runId, "other", "test"));

        assertThatThrownBy(() -> mine.append(Streams.run(runId), List.of(new StepCompleted(runId, "x.dev", "x",
                "network:n", StepOutcome.created, 1))))
                .isInstanceOfSatisfying(RunStreamConflictException.class, e -> {
                    assertThat(e.reason().message()).contains("another process wrote to the record of run");
                    assertThat(e.kind()).isEqualTo(dev.lok8s.lo.failure.FailureKind.BUSY);
                });
        assertThat(processA.readStream(Streams.run(runId))).extracting(StoredEvent::streamVersion).containsExactly(1, 2);
    }

    @Test
    void aRunsOwnAppendsFollowEachOtherWithoutConflicts() {
        String net = "shared-" + UUID.randomUUID();
        String stream = Streams.network(net);
        StreamWriter a = run(processA, UUID.randomUUID(), stream);
        a.append(stream, List.of(new NetworkCreated("a.dev", "a", net, "10.125.200.0/24", Scope.SHARED)));
        a.append(stream, List.of(mirror("a", net)));
        a.append(stream, List.of(new RegistryRemoved("a.dev", "a", MIRROR)));
        assertThat(processA.readStream(stream)).extracting(StoredEvent::streamVersion).containsExactly(1, 2, 3);
    }
}
