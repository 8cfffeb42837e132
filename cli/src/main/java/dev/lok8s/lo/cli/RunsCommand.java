package dev.lok8s.lo.cli;

import dev.lok8s.lo.events.ShortId;
import dev.lok8s.lo.failure.Reason;
import dev.lok8s.lo.projection.Machines;
import dev.lok8s.lo.projection.RunDetail;
import dev.lok8s.lo.projection.RunHistory;
import dev.lok8s.lo.projection.RunResumption;
import dev.lok8s.lo.projection.RunStatus;
import dev.lok8s.lo.projection.RunStepView;
import dev.lok8s.lo.projection.RunSummary;
import dev.lok8s.lo.query.Inputs;
import dev.lok8s.lo.query.RunsRequest;
import dev.lok8s.lo.spec.SafeText;
import dev.lok8s.lo.store.StoreException;
import jakarta.inject.Inject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

@Command(name = "runs", description = "Runs of lo commands, newest first; 'runs show ID' for one run's steps.",
        subcommands = RunsCommand.Show.class)
public class RunsCommand implements Callable<Integer> {

    @Mixin
    OutputOptions output;

    @Parameters(arity = "0..1", paramLabel = "DOMAIN", description = "Only runs of this cluster domain.")
    String domain;

    @Option(names = "--limit", paramLabel = "N", description = "At most N runs (default: " + Inputs.DEFAULT_LIMIT + ", at most " + Inputs.MAX_LIMIT + ").")
    String limit;

    @Option(names = "--host", paramLabel = "HOST", description = "Only runs of this machine: its host name (or a former one), its machine id or a prefix of it.")
    String host;

    @Inject
    RunHistory runs;

    @Inject
    Machines machines;

    @Override
    public Integer call() {
        RunsRequest.Query query = new RunsRequest(domain, limit, host).parse(machines).orElseThrow(CommandInputs::bad);
        try {
            List<RunSummary> list = query.list(runs);
            if (output.json()) {
                output.printJson(list);
                return ExitCodes.OK;
            }
            for (RunSummary r : list) {
                // every field but the id, time and status was recorded from outside: escaped
                output.out().println(ShortId.of(r.runId()) + "  " + time(r.startedAt()) + "  "
                        + pad(r.status().name(), 11) + " " + SafeText.escape(nz(r.domain()) + "  " + nz(r.command())
                        + "  on " + nz(r.host()))
                        + (r.resumes() == 0 ? "" : "  " + resumed(r))
                        + (r.error() == null ? "" : "  (" + firstLine(r.error()) + ")"));
            }
            output.out().flush();
            return ExitCodes.OK;
        } catch (StoreException e) {
            output.err().println(SafeText.lines(Reason.errorLine(e.getMessage())));
            return ExitCodes.FAILED;
        }
    }

    @Command(name = "show", description = "One run: status and steps with outcomes and durations.")
    static class Show implements Callable<Integer> {

        @Mixin
        OutputOptions output;

        @Parameters(paramLabel = "ID", description = "The run id or a prefix of it (as lo history prints).")
        String id;

        @Inject
        RunHistory runs;

        @Override
        public Integer call() {
            Optional<RunDetail> found;
            try {
                found = runs.show(id);
            } catch (IllegalArgumentException e) {
                output.err().println(SafeText.lines(Reason.errorLine(e.getMessage())));
                return ExitCodes.INVALID;
            } catch (StoreException e) {
                output.err().println(SafeText.lines(Reason.errorLine(e.getMessage())));
                return ExitCodes.FAILED;
            }
            if (found.isEmpty()) {
                output.err().println(SafeText.lines(Reason.errorLine(RunsRequest.noRunMatches(id))));
                return ExitCodes.INVALID;
            }
            RunDetail d = found.get();
            if (output.json()) {
                output.printJson(d);
                return ExitCodes.OK;
            }
            RunSummary r = d.run();
            // what a run recorded came from outside (names, hosts, steps): control characters escaped in every
            // line (the recorded columns bound their length; errors are cut as well, below)
            Consumer<String> out = line -> output.out().println(SafeText.escape(line));
            out.accept("run      " + r.runId());
            out.accept("command  " + nz(r.command()) + "  (" + nz(r.domain()) + ", project " + nz(r.project()) + ")");
            out.accept("status   " + r.status() + (r.failedStep() == null ? "" : " at step " + r.failedStep()));
            // r.pid() is the latest process; the first one is what the first resumption found
            Long firstPid = d.resumptions().isEmpty() ? r.pid() : d.resumptions().getFirst().previousPid();
            String firstHost = d.resumptions().isEmpty() ? r.host() : d.resumptions().getFirst().previousHost();
            out.accept("started  " + time(r.startedAt()) + (firstPid == null ? "" : "  pid " + firstPid + "@" + nz(firstHost)));
            for (RunResumption resumption : d.resumptions()) {
                out.accept("resumed  " + resumption(resumption));
            }
            out.accept("machine  " + nz(r.machineId()) + "  (" + nz(r.host()) + ")");
            out.accept("ended    " + time(r.endedAt()));
            if (r.error() != null) {
                // an error and its fix are two lines, each shown safely
                List<String> lines = r.error().lines().toList();
                for (int i = 0; i < lines.size(); i++) {
                    output.out().println((i == 0 ? "error    " : "         ") + SafeText.shown(lines.get(i)));
                }
            }
            out.accept("steps");
            for (RunStepView s : d.steps()) {
                out.accept("  " + pad(s.stepId(), 44) + " " + pad(nz(s.outcome()), 10) + " " + s.durationMs() + " ms");
            }
            if (r.status() == RunStatus.failed && r.failedStep() != null) {
                out.accept("  " + pad(r.failedStep(), 44) + " failed");
            }
            String next = next(r);
            if (next != null) {
                out.accept("next     " + next);
            }
            output.out().flush();
            return ExitCodes.OK;
        }
    }

    /** {@code resumed 2x (interrupted 1x)}: for a run that was resumed at least once. */
    /**
     * A recorded error on one line of a listing: its first line (the error, without its fix), with
     * control characters escaped and long words cut, as lo history shows event fields.
     */
    static String firstLine(String error) {
        List<String> lines = error.lines().toList();
        String first = lines.isEmpty() ? "" : lines.getFirst();
        return SafeText.shown(first) + (lines.size() > 1 ? " ..." : "");
    }

    static String resumed(RunSummary r) {
        return "resumed " + r.resumes() + "x" + (r.interruptions() == 0 ? "" : " (interrupted " + r.interruptions() + "x)");
    }

    /** One line of {@code runs show}: when, by which process, after what, from which step on. */
    static String resumption(RunResumption x) {
        String previous = x.previousPid() == null ? "its previous process" : "pid " + x.previousPid() + "@" + nz(x.previousHost());
        String after;
        if (x.after() == RunStatus.interrupted) {
            after = "after " + previous + " was interrupted (gone without an end"
                    + (x.leaseTakenOver() ? "; its lease, held since " + time(x.leaseHeldSince()) + ", taken over" : "")
                    + ")";
        } else if (x.after() == RunStatus.failed) {
            after = "after " + previous + " failed" + (x.previousFailedStep() == null ? "" : " at step " + x.previousFailedStep())
                    + (x.previousError() == null ? "" : ": " + firstLine(x.previousError()));
        } else {
            after = x.after() == null ? "after " + previous : "after " + previous + " (" + x.after() + ")";
        }
        return time(x.at()) + "  pid " + x.pid() + "@" + nz(x.host()) + "  " + after + "; " + x.completedSteps()
                + (x.completedSteps() == 1 ? " step" : " steps") + " already done";
    }

    /** What to do about a run that did not complete; null when there is nothing to do. */
    static String next(RunSummary r) {
        String id = ShortId.of(r.runId());
        String resume = "lo provision " + nz(r.domain()) + " (or lo resume " + id + ") resumes this run from "
                + "where it stopped; --fresh starts a new one";
        return switch (r.status()) {
            case failed -> "fix the cause of the error above, then " + resume;
            case interrupted -> "its process (pid " + nz(r.pid()) + " on " + nz(r.host()) + ") is gone: " + resume;
            case running, completed, rejected -> null;
        };
    }

    static String time(Instant t) {
        return t == null ? "-" : DateTimeFormatter.ISO_INSTANT.format(t.truncatedTo(ChronoUnit.SECONDS));
    }

    static String nz(Object o) {
        return o == null ? "-" : o.toString();
    }

    static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }
}
