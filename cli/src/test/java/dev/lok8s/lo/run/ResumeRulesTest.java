package dev.lok8s.lo.run;

import dev.lok8s.lo.events.LoEvent;
import dev.lok8s.lo.events.RunFailed;
import dev.lok8s.lo.events.RunStarted;
import dev.lok8s.lo.events.StepCompleted;
import dev.lok8s.lo.events.StepOutcome;
import dev.lok8s.lo.plan.RegistryPlan;
import dev.lok8s.lo.projection.RunStatus;
import dev.lok8s.lo.projection.RunSummary;
import dev.lok8s.lo.spec.SpecBuilder;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code lo resume RUN} as given (the run's row and its stream) / when (resuming it with a command and
 * the plan read now) / then (it resumes with the steps it recorded, or it is refused with one line).
 */
class ResumeRulesTest {

    static final RegistryPlan PLAN = SpecBuilder.defaultCluster().plan();
    static final UUID RUN = UUID.fromString("0f1e2d3c-0000-4000-8000-000000000001");
    static final String HERE = "machine-here";

    static RunSummary run(String command, String project, RunStatus status, String machineId) {
        return new RunSummary(RUN, PLAN.domain(), project, command, status, Instant.EPOCH, null, null, null, 1L,
                "host-b", machineId, 0, 0);
    }

    static RunSummary failedProvision() {
        return run(ProvisionService.PROVISION, PLAN.project(), RunStatus.failed, HERE);
    }

    static List<LoEvent> stream(String planHash, String... completed) {
        List<LoEvent> events = new java.util.ArrayList<>();
        events.add(new RunStarted(RUN, ProvisionService.PROVISION, PLAN.domain(), PLAN.project(), planHash, 1, "h"));
        for (String step : completed) {
            events.add(new StepCompleted(RUN, PLAN.domain(), PLAN.project(), step, StepOutcome.created, 1));
        }
        events.add(new RunFailed(RUN, PLAN.domain(), PLAN.project(), "verify", "boom"));
        return events;
    }

    static ResumeRules.Verdict when(Optional<RunSummary> run, String command, List<LoEvent> events) {
        return ResumeRules.explicit(RUN, run, HERE, command, PLAN, events);
    }

    static void refused(ResumeRules.Verdict verdict, String message) {
        assertThat(verdict).isInstanceOfSatisfying(ResumeRules.Verdict.Refuse.class,
                refuse -> assertThat(refuse.message()).isEqualTo(message));
    }

    @Test
    void aFailedRunOfThisPlanResumesAfterTheStepsItRecordedDone() {
        var verdict = when(Optional.of(failedProvision()), ProvisionService.PROVISION,
                stream(PLAN.hash(), "check-subnets", "network:lok8s"));
        assertThat(verdict).isInstanceOfSatisfying(ResumeRules.Verdict.Resume.class, resume -> {
            assertThat(resume.resumable().runId()).isEqualTo(RUN);
            assertThat(resume.resumable().completedSteps()).containsExactly("check-subnets", "network:lok8s");
        });
    }

    @Test
    void anInterruptedRunResumesToo() {
        var verdict = when(Optional.of(run(ProvisionService.PROVISION, PLAN.project(), RunStatus.interrupted, HERE)),
                ProvisionService.PROVISION, stream(PLAN.hash()));
        assertThat(verdict).isInstanceOf(ResumeRules.Verdict.Resume.class);
    }

    @Test
    void aRunTheLogDoesNotHaveIsRefused() {
        refused(when(Optional.empty(), ProvisionService.PROVISION, List.of()),
                "no run 0f1e2d3c in the event store (lo runs lists them)");
    }

    @Test
    void aRunOfAnotherMachineIsResumedThere() {
        refused(when(Optional.of(run(ProvisionService.PROVISION, PLAN.project(), RunStatus.failed,
                        "abcdef01-machine-there")), ProvisionService.PROVISION, stream(PLAN.hash())),
                "run 0f1e2d3c ran on another machine (host-b, abcdef01): resume it there");
    }

    @Test
    void aRunOfAnotherCommandIsRefused() {
        refused(when(Optional.of(run(ProvisionService.REGISTRY_UP, PLAN.project(), RunStatus.failed, HERE)),
                        ProvisionService.PROVISION, stream(PLAN.hash())),
                "run 0f1e2d3c is a 'registry up' run, not provision");
    }

    @Test
    void aRunOfAnotherProjectIsRefused() {
        refused(when(Optional.of(run(ProvisionService.PROVISION, "other", RunStatus.failed, HERE)),
                        ProvisionService.PROVISION, stream(PLAN.hash())),
                "run 0f1e2d3c provisioned project 'other', but the spec read now is of project 'lok8s': "
                        + "pass -f with that project's spec");
    }

    @Test
    void aCompletedRunHasNothingToResume() {
        refused(when(Optional.of(run(ProvisionService.PROVISION, PLAN.project(), RunStatus.completed, HERE)),
                        ProvisionService.PROVISION, stream(PLAN.hash())),
                "run 0f1e2d3c is completed: there is nothing to resume (lo provision converges the project again)");
        refused(when(Optional.of(run(ProvisionService.PROVISION, PLAN.project(), RunStatus.running, HERE)),
                        ProvisionService.PROVISION, stream(PLAN.hash())),
                "run 0f1e2d3c is running: there is nothing to resume");
    }

    @Test
    void aRunOfAnotherPlanIsRefused() {
        refused(when(Optional.of(failedProvision()), ProvisionService.PROVISION, stream("another-plan-hash")),
                "the spec of lok8s.dev changed since run 0f1e2d3c (its plan is not the current one): run lo "
                        + "provision lok8s.dev to start a new run that converges from the current state");
    }

    @Test
    void aRunOfAnUnknownMachineIsNotRefusedForIt() {
        // runs recorded before machines had ids
        var verdict = when(Optional.of(run(ProvisionService.PROVISION, PLAN.project(), RunStatus.failed, null)),
                ProvisionService.PROVISION, stream(PLAN.hash()));
        assertThat(verdict).isInstanceOf(ResumeRules.Verdict.Resume.class);
    }
}
