package dev.lok8s.lo.run;

import dev.lok8s.lo.reconcile.StepFailedException;
import dev.lok8s.lo.plan.PlannedStep;
import dev.lok8s.lo.plan.StepKind;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StepSchedulerTest {

    static PlannedStep step(String id, String... deps) {
        return new PlannedStep(id, StepKind.REGISTRY, id, List.of(deps));
    }

    @Test
    void aStepRunsOnlyAfterItsDependenciesAndSkippedStepsCountAsDone() {
        List<String> order = Collections.synchronizedList(new ArrayList<>());
        List<PlannedStep> steps = List.of(step("a"), step("b", "a"), step("c", "b"), step("d", "a"));
        var failure = new StepScheduler(4).run(steps, Set.of("a"), s -> {
            order.add(s.id());
            return s.id();
        }, done -> { });
        assertThat(failure).isNull();
        assertThat(order).doesNotContain("a").containsExactlyInAnyOrder("b", "c", "d");
        assertThat(order.indexOf("b")).isLessThan(order.indexOf("c"));
    }

    @Test
    void independentStepsRunAtOnceUpToTheParallelism() throws Exception {
        CountDownLatch bothIn = new CountDownLatch(2);
        AtomicInteger concurrent = new AtomicInteger();
        AtomicInteger max = new AtomicInteger();
        var failure = new StepScheduler(2).run(List.of(step("x"), step("y"), step("z")), Set.of(), s -> {
            int now = concurrent.incrementAndGet();
            max.accumulateAndGet(now, Math::max);
            bothIn.countDown();
            try {
                bothIn.await(5, TimeUnit.SECONDS);
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            concurrent.decrementAndGet();
            return s.id();
        }, done -> { });
        assertThat(failure).isNull();
        assertThat(max.get()).as("two at once, never three").isEqualTo(2);
    }

    @Test
    void afterAFailureNothingNewStartsAndTheFailureIsReturned() {
        List<String> ran = Collections.synchronizedList(new ArrayList<>());
        var failure = new StepScheduler(1).run(List.of(step("a"), step("b"), step("c", "b")), Set.of(), s -> {
            ran.add(s.id());
            if (s.id().equals("b")) {
                throw new StepFailedException("b broke", false);
            }
            return s.id();
        }, done -> { });
        assertThat(failure.step().id()).isEqualTo("b");
        assertThat(failure.failure()).hasMessage("b broke");
        assertThat(ran).containsExactly("a", "b");
    }

    @Test
    void aDependencyThatNeverRunsIsReported() {
        assertThatThrownBy(() -> new StepScheduler(2).run(List.of(step("a", "missing")), Set.of(), s -> s, d -> { }))
                .hasMessageContaining("steps wait on steps that never run: [a]");
    }
}
