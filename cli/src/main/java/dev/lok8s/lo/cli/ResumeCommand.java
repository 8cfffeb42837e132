package dev.lok8s.lo.cli;

import dev.lok8s.lo.config.LoConfig;
import dev.lok8s.lo.events.ShortId;
import dev.lok8s.lo.projection.RunHistory;
import dev.lok8s.lo.projection.RunStatus;
import dev.lok8s.lo.projection.RunSummary;
import dev.lok8s.lo.run.ProvisionService;
import dev.lok8s.lo.run.RunOutcome;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;

@Command(name = "resume", mixinStandardHelpOptions = true,
        description = {"Resume a failed or interrupted provision (or registry up) run: its completed steps are skipped, the step that "
                + "was in flight is checked against Docker (adopted or redone), the rest run.",
                "Without RUN_ID, the newest run, if it failed or was interrupted. The run's spec is read again "
                        + "(clusters/DOMAIN/cluster.lok8s.yaml, or -f FILE) and must give the same plan."})
public class ResumeCommand implements Callable<Integer> {

    @Parameters(arity = "0..1", paramLabel = "RUN_ID", description = "The run id or a prefix of it (lo runs lists them).")
    String runId;

    @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "Read the run's spec from FILE.")
    Path file;

    @Option(names = "--wait", description = "Wait for another run of this project to finish instead of exiting.")
    boolean waitForLease;

    @Mixin
    OutputOptions output;

    @Inject
    LoConfig config;

    @Inject
    RunHistory runs;

    @Inject
    Instance<ProvisionService> service;

    @Override
    public Integer call() {
        RunSummary run = runId == null ? newest() : runs.show(runId)
                .orElseThrow(() -> new IllegalArgumentException("no run matches '" + runId + "' (lo runs lists them)"))
                .run();
        if (run.domain() == null) {
            throw new IllegalArgumentException("run " + shortId(run) + " has no cluster domain recorded: rerun lo provision");
        }
        ProjectOptions project = new ProjectOptions();
        project.domain = run.domain();
        project.file = file;
        ProjectOptions.Project loaded = project.load(config);
        output.err().printf("resuming run %s of %s (%s)%n", shortId(run), loaded.plan().project(), run.domain());
        RunOutcome outcome = service.get().resume(run.runId(), loaded.spec(), loaded.plan(),
                new ProvisionService.Options(false, waitForLease, output.commandLine(), config.parallelism(),
                        Clock.systemUTC()),
                new StepProgress(output.err(), StepProgress.onTerminal()));
        return RunReport.print(outcome, "resume", output, loaded.plan());
    }

    /** The newest run that is not a refused attempt: resumable only if it failed or was interrupted. */
    private RunSummary newest() {
        RunSummary last = runs.list(null, 50).stream()
                .filter(r -> r.status() != RunStatus.rejected)
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no run to resume: the event store has none"));
        if (last.status() != RunStatus.failed && last.status() != RunStatus.interrupted) {
            throw new IllegalArgumentException("no run to resume: the newest run " + shortId(last) + " ("
                    + last.command() + " " + last.domain() + ") is " + last.status() + "; name an older one with "
                    + "lo resume RUN_ID");
        }
        return last;
    }

    private static String shortId(RunSummary run) {
        return ShortId.of(run.runId());
    }
}
