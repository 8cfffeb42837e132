package dev.lok8s.lo.run;

import dev.lok8s.lo.events.StepOutcome;
import dev.lok8s.lo.failure.FailureKind;
import dev.lok8s.lo.failure.Reason;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * How a run ended.
 *
 * @param failure    why it did not complete; {@link Failure#NONE} when it did
 * @param failedStep the step that failed, null when the run completed
 * @param reasons    what went wrong, each with its fix (several subnet mismatches refuse one run); empty
 *                   when the run completed
 * @param steps      step id to outcome, for the steps this process ran or skipped
 */
public record RunOutcome(UUID runId, Failure failure, String failedStep, List<Reason> reasons, List<String> warnings,
                         Map<String, StepOutcome> steps, long millis) {

    public RunOutcome {
        reasons = List.copyOf(reasons);
    }

    /** Kinds of failure, each one of the failure table's kinds. */
    public enum Failure {
        NONE(null),
        /** A precondition was not met and the failing step changed nothing: fix the input or the machine. */
        REFUSED(FailureKind.BAD_INPUT),
        /** The Docker Engine did not answer. */
        ENGINE_UNAVAILABLE(FailureKind.ENGINE_UNAVAILABLE),
        /** Anything else. */
        FAILED(FailureKind.FAILED);

        private final FailureKind kind;

        Failure(FailureKind kind) {
            this.kind = kind;
        }

        /** The exit code and HTTP status this failure has; null for a run that completed. */
        public FailureKind kind() {
            return kind;
        }
    }

    public boolean completed() {
        return failure == Failure.NONE;
    }

    /** The error as the run recorded it (and JSON shows it); null when the run completed. */
    public String error() {
        return reasons.isEmpty() ? null : reasons.stream().map(Reason::recorded).collect(Collectors.joining("\n"));
    }

    /** The error as printed on stderr: each reason's {@code error:} line and its {@code fix:} line. */
    public String errorLines() {
        return reasons.stream().map(Reason::lines).collect(Collectors.joining("\n"));
    }
}
