package dev.lok8s.lo.reconcile;

import dev.lok8s.lo.events.LoEvent;
import dev.lok8s.lo.events.RunFailed;
import dev.lok8s.lo.plan.PlannedStep;
import dev.lok8s.lo.plan.RegistryPlan;
import dev.lok8s.lo.run.KnownStateFold;
import dev.lok8s.lo.run.ProgressListener;
import dev.lok8s.lo.run.RunOutcome;
import dev.lok8s.lo.run.StepExecutor;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A refusal decided by the rules, carried through the step executor as a run meets it: kind made a
 * cluster whose node containers lo cannot see (another provider, another engine), so the shared
 * network's connect step is refused, with its reason and fix, and the run ends refused, recorded.
 */
class RefusalThroughExecutorTest {

    static final RegistryPlan PLAN = RulesFixture.SHARED;
    static final String CONNECT = "connect:lok8s-registries";

    @Test
    void nodesLoCannotSeeAreRefusedWithTheirReasonAndTheRunRecordsIt() {
        Machine machine = Machine.provisioned(PLAN);
        machine.containers.remove("lok8s-control-plane");
        ProvisionRules rules = new ProvisionRules(PLAN,
                KnownStateFold.fold(PLAN.project(), ProvisionRulesTest.provisionedLog()), null, Instant.EPOCH);
        StepHandler<Change.Provision> handler = new StepHandler<Change.Provision>() {
            @Override
            public StepDecision<Change.Provision> decide(PlannedStep step) {
                return rules.decide(step, machine.snapshot(), Set.of());
            }

            @Override
            public StepResult act(StepDecision<Change.Provision> decision) {
                throw new AssertionError("a refused step must not act: " + decision);
            }
        };
        Set<String> before = new HashSet<>();
        PLAN.steps().stream().map(PlannedStep::id).filter(id -> !id.equals(CONNECT)).forEach(before::add);
        List<LoEvent> recorded = new ArrayList<>();
        UUID runId = UUID.randomUUID();

        RunOutcome outcome = new StepExecutor((stream, events) -> recorded.addAll(events), 1)
                .execute(runId, PLAN.domain(), PLAN.project(), PLAN.steps(), handler, before, ProgressListener.SILENT);

        assertThat(outcome.failure()).as("outcome: %s", outcome).isEqualTo(RunOutcome.Failure.REFUSED);
        assertThat(outcome.failedStep()).isEqualTo(CONNECT);
        assertThat(outcome.reasons()).hasSize(1);
        String lines = outcome.errorLines();
        assertThat(lines.lines().toList()).as("the printed reason:\n%s", lines).hasSize(2);
        assertThat(lines).as("what lo could not see")
                .contains("kind cluster 'lok8s' has no node containers lo can see")
                .contains("io.x-k8s.kind.cluster=lok8s")
                .as("what to do").contains("kind delete cluster --name lok8s").contains("lo provision");
        assertThat(recorded).as("the run records its end").last().isInstanceOfSatisfying(RunFailed.class, failed -> {
            assertThat(failed.step()).isEqualTo(CONNECT);
            assertThat(failed.error()).isEqualTo(outcome.reasons().getFirst().recorded());
        });
    }

    @Test
    void aRefusalCannotBeMadeWithoutItsReason() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Action.refuse("x", null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("reason");
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> new Action.Proceed(Verb.REFUSE, "x", "no reason", null, List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Action.Refuse");
    }

    @Test
    void bothKindsOfActionShowTheirVerbTargetAndReasonInTheDryRunJson() throws Exception {
        var json = dev.lok8s.lo.cli.OutputOptions.jsonMapper();
        String refused = json.writeValueAsString(Action.refuse("lok8s", dev.lok8s.lo.failure.Reason.of("gone", "do this")));
        String proceeds = json.writeValueAsString(new Action.Proceed(Verb.CREATE, "lok8s", "lok8s 10.125.125.0/24",
                null, List.of()));
        assertThat(json.readTree(refused)).hasToString(
                "{\"verb\":\"refuse\",\"target\":\"lok8s\",\"reason\":\"" + dev.lok8s.lo.failure.Reason.of("gone", "do this")
                        .recorded().replace("\n", "\\n") + "\"}");
        assertThat(json.readTree(proceeds)).hasToString(
                "{\"verb\":\"create\",\"target\":\"lok8s\",\"reason\":\"lok8s 10.125.125.0/24\"}");
    }
}
