package dev.lok8s.lo.reconcile;

import dev.lok8s.lo.events.StepOutcome;

import java.util.List;

/**
 * What one step did: its outcome, the events that describe its effect, a short human detail,
 * and warnings that do not fail the run (a mirror whose upstream does not answer).
 */
public record StepResult(StepOutcome outcome, List<Effect> effects, String detail, List<String> warnings) {

    public StepResult {
        effects = List.copyOf(effects);
        warnings = List.copyOf(warnings);
    }

    public static StepResult unchanged(String detail) {
        return new StepResult(StepOutcome.unchanged, List.of(), detail, List.of());
    }

    public static StepResult of(StepOutcome outcome, String detail, Effect... effects) {
        return new StepResult(outcome, List.of(effects), detail, List.of());
    }
}
