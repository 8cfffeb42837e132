package dev.lok8s.lo.projection;

import java.util.List;

/** {@code lo runs show}: a run, its steps in the order they completed, and its resumptions, oldest first. */
public record RunDetail(RunSummary run, List<RunStepView> steps, List<RunResumption> resumptions) {
}
