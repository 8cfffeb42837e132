package dev.lok8s.lo.projection;

import dev.lok8s.lo.events.EventMetadata;
import dev.lok8s.lo.events.EventSummary;
import dev.lok8s.lo.events.LeaseTakenOver;
import dev.lok8s.lo.events.RunCompleted;
import dev.lok8s.lo.events.RunFailed;
import dev.lok8s.lo.events.RunResumed;
import dev.lok8s.lo.events.RunStarted;
import dev.lok8s.lo.events.StepCompleted;
import dev.lok8s.lo.events.StepOutcome;
import dev.lok8s.lo.store.EventStore;
import dev.lok8s.lo.store.ExpectedVersion;
import dev.lok8s.lo.store.StoreEngine;
import dev.lok8s.lo.store.TestStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** A resumed run: running again in its new process, its earlier failure cleared, then completed. */
@ParameterizedClass
@EnumSource(StoreEngine.class)
class RunResumedProjectionTest {

    @Parameter
    StoreEngine engine;

    TestStore temp;
    EventStore store;
    final UUID run = UUID.randomUUID();
    final String host = EventMetadata.hostName();

    @BeforeEach
    void open() {
        temp = engine.open();
        store = temp.eventStore();
    }

    @AfterEach
    void close() throws Exception {
        temp.close();
    }

    RunSummary summary() {
        return new RunHistory(temp.dataSource(), (h, pid) -> pid == 2).show(run.toString()).orElseThrow().run();
    }

    @Test
    void aResumedRunIsRunningAgainInItsNewProcessThenCompletes() {
        String stream = "run-" + run;
        store.append(stream, ExpectedVersion.NO_STREAM, List.of(
                new RunStarted(run, "provision", "r.test", "p", "hash", 1, host),
                new StepCompleted(run, "r.test", "p", "check-subnets", StepOutcome.unchanged, 3),
                new RunFailed(run, "r.test", "p", "network:n", "cannot reach the Docker Engine")), null);
        assertThat(summary().status()).as("after RunFailed").isEqualTo(RunStatus.failed);

        store.append(stream, ExpectedVersion.ANY, List.of(
                new RunResumed(run, "provision", "r.test", "p", "hash", 2, host, 1),
                new LeaseTakenOver(run, "r.test", "p", run, 1, host, Instant.parse("2026-01-01T00:00:00Z"))), null);
        RunSummary resumed = summary();
        assertThat(resumed.status()).as("after RunResumed").isEqualTo(RunStatus.running);
        assertThat(resumed.pid()).as("the resuming process").isEqualTo(2L);
        assertThat(resumed.error()).as("the earlier error no longer applies").isNull();
        assertThat(resumed.failedStep()).isNull();
        assertThat(resumed.endedAt()).isNull();

        store.append(stream, ExpectedVersion.ANY, List.of(
                new StepCompleted(run, "r.test", "p", "network:n", StepOutcome.created, 5),
                new RunCompleted(run, "r.test", "p", 9)), null);
        RunDetail detail = new RunHistory(temp.dataSource()).show(run.toString()).orElseThrow();
        assertThat(detail.run().status()).isEqualTo(RunStatus.completed);
        assertThat(detail.steps()).extracting(RunStepView::stepId).containsExactly("check-subnets", "network:n");
    }

    @Test
    void theRunRecordsEachResumptionWithTheProcessBeforeIt() {
        String stream = "run-" + run;
        Instant since = Instant.parse("2026-01-01T00:00:00Z");
        // pid 1 is killed mid-run; pid 2 resumes it, taking over the dead process's lease, then fails;
        // pid 3 resumes it again and completes it.
        store.append(stream, ExpectedVersion.NO_STREAM, List.of(
                new RunStarted(run, "provision", "r.test", "p", "hash", 1, "box-a"),
                new StepCompleted(run, "r.test", "p", "check-subnets", StepOutcome.unchanged, 3)), null);
        store.append(stream, ExpectedVersion.ANY, List.of(
                new RunResumed(run, "provision", "r.test", "p", "hash", 2, "box-b", 1),
                new LeaseTakenOver(run, "r.test", "p", run, 1, "box-a", since),
                new RunFailed(run, "r.test", "p", "network:n", "cannot reach the Docker Engine")), null);
        store.append(stream, ExpectedVersion.ANY, List.of(
                new RunResumed(run, "provision", "r.test", "p", "hash", 3, "box-b", 1),
                new StepCompleted(run, "r.test", "p", "network:n", StepOutcome.created, 5),
                new RunCompleted(run, "r.test", "p", 9)), null);

        RunDetail detail = new RunHistory(temp.dataSource()).show(run.toString()).orElseThrow();
        assertThat(detail.run().status()).as("status").isEqualTo(RunStatus.completed);
        assertThat(detail.run().resumes()).as("resumed twice").isEqualTo(2);
        assertThat(detail.run().interruptions()).as("once after an interruption").isEqualTo(1);
        assertThat(detail.run().pid()).as("latest process").isEqualTo(3L);
        assertThat(detail.resumptions()).as("resumptions, oldest first").hasSize(2);

        RunResumption first = detail.resumptions().get(0);
        assertThat(first.pid()).as("first resumption: process").isEqualTo(2);
        assertThat(first.host()).isEqualTo("box-b");
        assertThat(first.completedSteps()).isEqualTo(1);
        assertThat(first.after()).as("its predecessor vanished").isEqualTo(RunStatus.interrupted);
        assertThat(first.previousPid()).isEqualTo(1L);
        assertThat(first.previousHost()).isEqualTo("box-a");
        assertThat(first.leaseTakenOver()).as("lease taken over").isTrue();
        assertThat(first.leaseHeldSince()).isEqualTo(since);
        assertThat(first.previousError()).isNull();

        RunResumption second = detail.resumptions().get(1);
        assertThat(second.pid()).as("second resumption: process").isEqualTo(3);
        assertThat(second.after()).as("its predecessor recorded a failure").isEqualTo(RunStatus.failed);
        assertThat(second.previousPid()).isEqualTo(2L);
        assertThat(second.previousFailedStep()).isEqualTo("network:n");
        assertThat(second.previousError()).isEqualTo("cannot reach the Docker Engine");
        assertThat(second.leaseTakenOver()).isFalse();
        assertThat(second.at()).as("when").isNotNull().isAfterOrEqualTo(first.at());

        assertThat(new RunHistory(temp.dataSource()).list("r.test", 10)).singleElement()
                .satisfies(r -> assertThat(r.resumes()).as("list: resumes").isEqualTo(2))
                .satisfies(r -> assertThat(r.interruptions()).as("list: interruptions").isEqualTo(1));

        store.rebuildProjections();
        assertThat(new RunHistory(temp.dataSource()).show(run.toString()).orElseThrow())
                .as("a rebuild from the log gives the same view").isEqualTo(detail);
    }

    @Test
    void aRunNeverResumedHasNoResumptions() {
        store.append("run-" + run, ExpectedVersion.NO_STREAM, List.of(
                new RunStarted(run, "provision", "r.test", "p", "hash", 1, host),
                new RunCompleted(run, "r.test", "p", 9)), null);
        RunDetail detail = new RunHistory(temp.dataSource()).show(run.toString()).orElseThrow();
        assertThat(detail.run().resumes()).isZero();
        assertThat(detail.run().interruptions()).isZero();
        assertThat(detail.resumptions()).isEmpty();
    }

    @Test
    void historySummaries() {
        assertThat(EventSummary.of(new RunResumed(run, "provision", "r.test", "p", "hash", 42, "box", 5)))
                .isEqualTo("provision p pid 42@box, 5 steps already done");
        UUID previous = UUID.fromString("1a2b3c4d-0000-4000-8000-000000000001");
        assertThat(EventSummary.of(new LeaseTakenOver(run, "r.test", "p", previous, 7, "box", null)))
                .isEqualTo("p from run 1a2b3c4d (pid 7@box, gone)");
    }
}
