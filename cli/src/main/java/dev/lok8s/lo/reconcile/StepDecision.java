package dev.lok8s.lo.reconcile;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.lok8s.lo.events.StepOutcome;
import dev.lok8s.lo.plan.PlannedStep;

import java.util.List;
import java.util.Optional;

/**
 * What one plan step will do: its actions, the outcome it reports, and warnings that do not
 * stop the run.
 */
@JsonPropertyOrder({"step", "outcome", "actions", "warnings"})
public record StepDecision(@JsonIgnore PlannedStep plannedStep, StepOutcome outcome, List<Action> actions,
                           List<String> warnings) {

    public StepDecision {
        actions = List.copyOf(actions);
        warnings = List.copyOf(warnings);
    }

    public static StepDecision of(PlannedStep step, StepOutcome outcome, Action... actions) {
        return new StepDecision(step, outcome, List.of(actions), List.of());
    }

    public String step() {
        return plannedStep.id();
    }

    /** The first refusal, if the step must not run. */
    @JsonIgnore
    public Optional<Action.Refuse> refusal() {
        return actions.stream().filter(a -> a instanceof Action.Refuse).map(a -> (Action.Refuse) a).findFirst();
    }

    /** Whether carrying it out changes the machine. */
    @JsonIgnore
    public boolean mutates() {
        return actions.stream().anyMatch(Action::mutates);
    }

    /** Whether it has events to record beyond its StepCompleted. */
    @JsonIgnore
    public boolean recordsEffects() {
        return actions.stream().anyMatch(a -> !a.effects().isEmpty());
    }

    /** Whether it neither changes the machine, nor records anything, nor is refused. */
    @JsonIgnore
    public boolean changesNothing() {
        return refusal().isEmpty() && !mutates() && !recordsEffects();
    }

    /** The actions' reasons, one line. */
    @JsonIgnore
    public String detail() {
        return String.join("; ", actions.stream().map(Action::reason).toList());
    }
}
