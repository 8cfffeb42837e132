package dev.lok8s.lo.run;

import dev.lok8s.lo.events.LoEvent;
import dev.lok8s.lo.events.RunStarted;
import dev.lok8s.lo.events.ShortId;
import dev.lok8s.lo.events.StepCompleted;
import dev.lok8s.lo.plan.RegistryPlan;
import dev.lok8s.lo.projection.RunStatus;
import dev.lok8s.lo.projection.RunSummary;
import dev.lok8s.lo.run.RunLifecycle.Resumable;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Whether a run can be resumed, as pure functions of what the log recorded of it (ResumeRulesTest):
 * {@code lo resume RUN} continues a run only if it exists, ran on this machine, is of the command and
 * the project asked for, failed or was interrupted, and ran the plan read now.
 */
public final class ResumeRules {

    private ResumeRules() {
    }

    /** The answer to {@code lo resume RUN}: the run to continue, or why not (one line). */
    public sealed interface Verdict {
        record Resume(Resumable resumable) implements Verdict {
        }

        record Refuse(String message) implements Verdict {
        }
    }

    /**
     * @param runId     the run asked for
     * @param run       its row in the runs read model, empty when the log has no such run
     * @param machineId this machine's id
     * @param command   the command resuming it ({@code provision} or {@code registry up})
     * @param runEvents the events of the run's stream (its RunStarted carries the plan's hash)
     */
    public static Verdict explicit(UUID runId, Optional<RunSummary> run, String machineId, String command,
                                   RegistryPlan plan, List<LoEvent> runEvents) {
        String id = ShortId.of(runId);
        if (run.isEmpty()) {
            return new Verdict.Refuse("no run " + id + " in the event store (lo runs lists them)");
        }
        RunSummary found = run.get();
        if (found.machineId() != null && !found.machineId().equals(machineId)) {
            return new Verdict.Refuse("run " + id + " ran on another machine (" + found.host() + ", "
                    + ShortId.of(found.machineId()) + "): resume it there");
        }
        if (!command.equals(found.command())) {
            return new Verdict.Refuse("run " + id + " is a '" + found.command() + "' run, not " + command);
        }
        if (!plan.project().equals(found.project())) {
            return new Verdict.Refuse("run " + id + " provisioned project '" + found.project() + "', but the spec "
                    + "read now is of project '" + plan.project() + "': pass -f with that project's spec");
        }
        if (found.status() != RunStatus.failed && found.status() != RunStatus.interrupted) {
            return new Verdict.Refuse("run " + id + " is " + found.status() + ": there is nothing to resume"
                    + (found.status() == RunStatus.completed ? " (lo provision converges the project again)" : ""));
        }
        return recorded(runId, plan, runEvents).<Verdict>map(Verdict.Resume::new)
                .orElseGet(() -> new Verdict.Refuse("the spec of " + plan.domain() + " changed since run " + id
                        + " (its plan is not the current one): run lo provision " + plan.domain()
                        + " to start a new run that converges from the current state"));
    }

    /** The steps a run recorded complete, if it ran {@code plan} (its RunStarted carries the plan's hash). */
    public static Optional<Resumable> recorded(UUID runId, RegistryPlan plan, List<LoEvent> runEvents) {
        boolean samePlan = runEvents.stream()
                .anyMatch(e -> e instanceof RunStarted started && plan.hash().equals(started.planHash()));
        if (!samePlan) {
            return Optional.empty();
        }
        Set<String> completed = new LinkedHashSet<>();
        runEvents.forEach(e -> {
            if (e instanceof StepCompleted step) {
                completed.add(step.stepId());
            }
        });
        return Optional.of(new Resumable(runId, completed));
    }
}
