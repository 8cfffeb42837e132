package dev.lok8s.lo.cli;

import dev.lok8s.lo.plan.PlannedStep;
import dev.lok8s.lo.run.ProgressListener;
import dev.lok8s.lo.reconcile.StepResult;

import java.io.PrintWriter;

/**
 * Prints a run's progress to stderr: on a terminal a line per step as it starts and its result
 * as it ends; without one (CI logs, pipes), only plain result lines.
 */
final class StepProgress implements ProgressListener {

    private final PrintWriter err;
    private final boolean terminal;

    StepProgress(PrintWriter err, boolean terminal) {
        this.err = err;
        this.terminal = terminal;
    }

    static boolean onTerminal() {
        var console = System.console();
        return console != null && console.isTerminal();
    }

    @Override
    public synchronized void stepStarted(PlannedStep step) {
        if (terminal) {
            err.printf("  \u2026 %s%n", step.id());
            err.flush();
        }
    }

    @Override
    public synchronized void stepFinished(PlannedStep step, StepResult result, long millis) {
        err.printf("  %s %-44s %-9s %-40s %s%n", terminal ? "\u2713" : "ok", step.id(), result.outcome(),
                result.detail(), seconds(millis));
        for (String warning : result.warnings()) {
            err.println("  warning: " + warning);
        }
        err.flush();
    }

    @Override
    public synchronized void stepFailed(PlannedStep step, String error, long millis) {
        err.printf("  %s %-44s failed    %s%n", terminal ? "\u2717" : "FAILED", step.id(), seconds(millis));
        err.flush();
    }

    @Override
    public synchronized void note(String line) {
        err.println("  " + line);
        err.flush();
    }

    static String seconds(long millis) {
        return String.format("%.1fs", millis / 1000.0);
    }
}
