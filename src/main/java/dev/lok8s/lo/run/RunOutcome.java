package dev.lok8s.lo.run;

import dev.lok8s.lo.events.StepOutcome;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * How a run ended.
 *
 * @param refused    a precondition failed before the failing step changed anything (exit code 2)
 * @param failedStep the step that failed, null when the run completed
 * @param steps      step id to outcome, for the steps this process ran or skipped
 */
public record RunOutcome(UUID runId, boolean completed, boolean refused, String failedStep, String error,
                         List<String> warnings, Map<String, StepOutcome> steps, long millis) {
}
