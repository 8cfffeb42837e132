package dev.lok8s.lo.run;

import dev.lok8s.lo.events.StepOutcome;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * How a run ended.
 *
 * @param failure    why it did not complete; {@link Failure#NONE} when it did
 * @param failedStep the step that failed, null when the run completed
 * @param steps      step id to outcome, for the steps this process ran or skipped
 */
public record RunOutcome(UUID runId, Failure failure, String failedStep, String error, List<String> warnings,
                         Map<String, StepOutcome> steps, long millis) {

    /** Kinds of failure, which the CLI maps to exit codes. */
    public enum Failure {
        NONE,
        /** A precondition was not met and the failing step changed nothing: fix the input or the machine. */
        REFUSED,
        /** The Docker Engine did not answer. */
        ENGINE_UNAVAILABLE,
        /** Anything else. */
        FAILED
    }

    public boolean completed() {
        return failure == Failure.NONE;
    }
}
