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
public record StepDecision<C extends Change>(@JsonIgnore PlannedStep plannedStep, StepOutcome outcome,
                                             List<Action<C>> actions, List<String> warnings) {

    public StepDecision {
        actions = List.copyOf(actions);
        warnings = List.copyOf(warnings);
    }

    public static <C extends Change> StepDecision<C> of(PlannedStep step, StepOutcome outcome, Action<C> action) {
        return new StepDecision<>(step, outcome, List.of(action), List.of());
    }

    public String step() {
        return plannedStep.id();
    }

    /** The first refusal, if the step must not run. */
    @JsonIgnore
    public Optional<Action.Refuse<C>> refusal() {
        return actions.stream().<Action.Refuse<C>>mapMulti((a, out) -> {
            if (a instanceof Action.Refuse<C> refuse) {
                out.accept(refuse);
            }
        }).findFirst();
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
