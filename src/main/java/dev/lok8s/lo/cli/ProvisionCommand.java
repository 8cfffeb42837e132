package dev.lok8s.lo.cli;

import dev.lok8s.lo.config.LoConfig;
import dev.lok8s.lo.run.ProvisionService;
import dev.lok8s.lo.run.RunOutcome;
import dev.lok8s.lo.spec.SpecInvalidException;
import jakarta.inject.Inject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "provision", mixinStandardHelpOptions = true,
        description = {"Provision a project: its network, build and cache registries, the pull-through mirrors "
                + "(shared or per project), the containerd certs.d tree, the kind cluster and its node connections.",
                "Resumes the project's last failed or interrupted run when the plan is unchanged."})
public class ProvisionCommand implements Callable<Integer> {

    @Mixin
    ProjectOptions project;

    @Mixin
    OutputOptions output;

    @Option(names = "--dry-run", description = "Print the plan and change nothing.")
    boolean dryRun;

    @Option(names = "--fresh", description = "Start a new run instead of resuming a failed or interrupted one.")
    boolean fresh;

    @Option(names = "--wait", description = "Wait for another run of this project to finish instead of exiting.")
    boolean waitForLease;

    @Inject
    LoConfig config;

    @Inject
    jakarta.enterprise.inject.Instance<ProvisionService> service;

    @Override
    public Integer call() {
        ProjectOptions.Project loaded;
        try {
            loaded = project.load(config);
        } catch (SpecInvalidException e) {
            if (!dryRun) {
                service.get().reject(project.domain(), null, "provision", e.getMessage(), output.commandLine());
            }
            throw e;
        }
        if (dryRun) {
            if (output.json()) {
                output.printJson(loaded.plan());
            } else {
                PlanText.print(loaded.plan(), output.out());
            }
            return ExitCodes.OK;
        }
        var progress = new StepProgress(output.err(), StepProgress.onTerminal());
        output.err().printf("provisioning %s (%s) with plan %s%n", loaded.plan().project(), loaded.plan().domain(),
                loaded.plan().hash().substring(0, 12));
        RunOutcome outcome = service.get().provision(loaded.spec(), loaded.plan(),
                new ProvisionService.Options(fresh, waitForLease, output.commandLine(), config.parallelism(),
                        Clock.systemUTC()), progress);
        return report(outcome, output);
    }

    static int report(RunOutcome outcome, OutputOptions output) {
        if (output.json()) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("runId", outcome.runId());
            json.put("status", outcome.completed() ? "completed" : outcome.failure() == RunOutcome.Failure.REFUSED
                    ? "rejected" : "failed");
            json.put("failedStep", outcome.failedStep());
            json.put("error", outcome.error());
            json.put("warnings", outcome.warnings());
            json.put("steps", outcome.steps());
            json.put("millis", outcome.millis());
            output.printJson(json);
        }
        String run = outcome.runId().toString().substring(0, 8);
        if (outcome.completed()) {
            if (!output.json()) {
                output.out().printf("run %s completed in %s (%d warnings)%n", run, StepProgress.seconds(outcome.millis()),
                        outcome.warnings().size());
                output.out().flush();
            }
            return ExitCodes.OK;
        }
        String error = outcome.error();
        output.err().println(error.startsWith("error:") ? error : "error: " + error);
        if (outcome.failure() != RunOutcome.Failure.REFUSED) {
            output.err().printf("run %s failed at %s; fix the cause and rerun lo provision to resume it "
                    + "(lo runs show %s)%n", run, outcome.failedStep(), run);
        }
        output.err().flush();
        return switch (outcome.failure()) {
            case NONE -> ExitCodes.OK;
            case REFUSED -> ExitCodes.INVALID;
            case ENGINE_UNAVAILABLE -> ExitCodes.ENGINE_UNAVAILABLE;
            case FAILED -> ExitCodes.FAILED;
        };
    }
}
