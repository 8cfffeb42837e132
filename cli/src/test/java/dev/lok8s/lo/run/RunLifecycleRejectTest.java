package dev.lok8s.lo.run;

import dev.lok8s.lo.events.RunRejected;
import dev.lok8s.lo.events.SubnetMismatchDetected;
import dev.lok8s.lo.projection.RunHistory;
import dev.lok8s.lo.projection.RunStatus;
import dev.lok8s.lo.store.EventStore;
import dev.lok8s.lo.store.StoreEngine;
import dev.lok8s.lo.store.StoredEvent;
import dev.lok8s.lo.store.TestStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** A refusal recorded through RunLifecycle, with what it found, on a real H2 store. */
class RunLifecycleRejectTest {

    TestStore temp;
    EventStore store;
    RunLifecycle lifecycle;

    @BeforeEach
    void open() {
        temp = StoreEngine.H2.open();
        store = temp.eventStore();
        lifecycle = new RunLifecycle(store, new ProjectLeases(temp.dataSource(), store.machine().id(),
                Duration.ofSeconds(1), line -> { }));
    }

    @AfterEach
    void close() throws Exception {
        temp.close();
    }

    @Test
    void whatARefusalFoundIsRecordedBeforeItsRunRejectedInTheRefusedRunsStream() {
        SubnetMismatchDetected found = new SubnetMismatchDetected("c.test", "c", "lok8s-registries",
                "10.1.0.0/24", "10.2.0.0/24", "a");

        UUID runId = lifecycle.reject("c.test", "c", "provision", "registry network exists with another subnet",
                "lo provision c.test", List.of(found));

        List<StoredEvent> events = store.readStream("run-" + runId);
        assertThat(events).extracting(StoredEvent::event).hasSize(2).first().isEqualTo(found);
        assertThat(events.getLast().event()).isInstanceOfSatisfying(RunRejected.class, r -> {
            assertThat(r.runId()).isEqualTo(runId);
            assertThat(r.command()).isEqualTo("provision");
            assertThat(r.reason()).isEqualTo("registry network exists with another subnet");
        });
        assertThat(new RunHistory(temp.dataSource()).show(runId.toString()).orElseThrow().run().status())
                .isEqualTo(RunStatus.rejected);
    }

    @Test
    void aPlainRefusalRecordsItsRunRejectedAlone() {
        UUID runId = lifecycle.reject("c.test", "c", "registry warm", "no images given", "lo registry warm");

        assertThat(store.readStream("run-" + runId)).singleElement()
                .extracting(StoredEvent::event).isInstanceOf(RunRejected.class);
    }
}
