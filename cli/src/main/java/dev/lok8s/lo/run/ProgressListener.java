package dev.lok8s.lo.run;

import dev.lok8s.lo.reconcile.StepResult;
import dev.lok8s.lo.plan.PlannedStep;

/** Where a run reports progress; the CLI prints it, tests collect it. Called from several threads. */
public interface ProgressListener {

    void stepStarted(PlannedStep step);

    void stepFinished(PlannedStep step, StepResult result, long millis);

    void stepFailed(PlannedStep step, String error, long millis);

    void note(String line);

    ProgressListener SILENT = new ProgressListener() {
        @Override
        public void stepStarted(PlannedStep step) {
        }

        @Override
        public void stepFinished(PlannedStep step, StepResult result, long millis) {
        }

        @Override
        public void stepFailed(PlannedStep step, String error, long millis) {
        }

        @Override
        public void note(String line) {
        }
    };
}
