package dev.lok8s.lo.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lok8s.lo.config.LoConfig;
import dev.lok8s.lo.engine.EngineUnavailableException;
import dev.lok8s.lo.reconcile.StepDecision;
import dev.lok8s.lo.run.ProvisionService;
import dev.lok8s.lo.run.RunOutcome;
import dev.lok8s.lo.store.EventStore;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Clock;
import java.util.List;
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

    @Option(names = "--dry-run", description = "Print the plan and the actions it takes against the machine now "
            + "(create, adopt, unchanged, start, replace, refuse, with reasons); change nothing.")
    boolean dryRun;

    @Mixin
    RunOptions run;

    @Inject
    LoConfig config;

    @Inject
    Instance<ProvisionService> service;

    @Inject
    EventStore store;

    @Override
    public Integer call() {
        if (dryRun) {
            // A dry run changes nothing and records nothing, an invalid spec included.
            var plan = project.load(config).plan();
            List<? extends StepDecision<?>> actions = null;
            try {
                actions = service.get().dryRun(plan, Clock.systemUTC());
            } catch (EngineUnavailableException e) {
                output.err().println("warning: no actions, only the plan: " + e.getMessage());
            }
            if (output.json()) {
                var json = OutputOptions.jsonMapper().valueToTree(plan);
                if (actions != null) {
                    ((ObjectNode) json).set("actions",
                            OutputOptions.jsonMapper().valueToTree(actions));
                }
                output.printJson(json);
            } else {
                PlanText.print(plan, output.out());
                if (actions != null) {
                    PlanText.printActions(actions, output.out());
                }
            }
            return ExitCodes.OK;
        }
        // the line comes before the store is joined, as it came before the store was opened
        var loaded = RunReport.loadWhileOpening(project, config, store, service::get, "provision", output,
                plan -> output.err().printf("provisioning %s (%s) with plan %s%n", plan.project(), plan.domain(),
                        plan.hash().substring(0, 12)));
        var progress = new StepProgress(output.err(), StepProgress.onTerminal());
        RunOutcome outcome = service.get().provision(loaded.spec(), loaded.plan(), run.options(output, config),
                progress);
        return RunReport.print(outcome, "provision", output, loaded.plan());
    }
}
