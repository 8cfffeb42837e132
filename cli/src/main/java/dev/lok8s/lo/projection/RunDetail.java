package dev.lok8s.lo.projection;

import java.util.List;

/** {@code lo runs show}: a run and its steps in the order they completed. */
public record RunDetail(RunSummary run, List<RunStepView> steps) {
}
