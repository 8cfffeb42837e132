package dev.lok8s.lo.cli;

import dev.lok8s.lo.config.LoConfig;
import dev.lok8s.lo.engine.ContainerEngine;
import dev.lok8s.lo.failure.Reason;
import dev.lok8s.lo.plan.RegistryPlan;
import dev.lok8s.lo.run.ProvisionService;
import dev.lok8s.lo.run.RunOutcome;
import dev.lok8s.lo.run.TeardownService;
import dev.lok8s.lo.status.RegistryStatusReport;
import dev.lok8s.lo.status.RegistryStatusService;
import dev.lok8s.lo.store.EventStore;
import dev.lok8s.lo.upstream.MirrorUpstreams;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

@Command(name = "registry", description = "A project's registries without its cluster: status, up, down, clean, "
        + "usage, warm, prune.",
        subcommands = {RegistryCommand.Status.class, RegistryCommand.Up.class, RegistryCommand.Down.class,
                RegistryCommand.Clean.class, RegistryUsageCommand.class, RegistryWarmCommand.class,
                RegistryPruneCommand.class})
public class RegistryCommand {

    /** A status service whose probe asks each running registry once (a 2 s bound), all at once. */
    static RegistryStatusService statusService(RegistryPlan plan, EventStore store, ContainerEngine engine,
                                               MirrorUpstreams upstreams, PrintWriter err) {
        return RegistryStatusService.forPlan(plan, store, engine, upstreams,
                warning -> err.println("warning: " + warning));
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Shared mirrors and per-project registries: container, IP, state, reachability, catalog "
                    + "URL, the projects using each shared mirror, and drift between the log and Docker.")
    static class Status extends ProjectReportCommand {

        @Override
        int report(RegistryPlan plan) {
            RegistryStatusReport report = statusService(plan, store, engine, upstreams, output.err()).report(plan);
            if (output.json()) {
                output.printJson(report);
            } else {
                RegistryStatusText.print(RegistryStatusText.render(report), output.out());
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "up", mixinStandardHelpOptions = true,
            description = {"Start this project's registries without touching the cluster: networks, image, "
                    + "build and cache, the mirrors, the TLS certificate and the certs.d tree.",
                    "Resumes the last failed or interrupted 'registry up' when the plan is unchanged."})
    static class Up implements Callable<Integer> {

        @Mixin
        ProjectOptions project;

        @Mixin
        OutputOptions output;

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
            var loaded = RunReport.loadWhileOpening(project, config, store, service::get, ProvisionService.REGISTRY_UP,
                    output);
            RunOutcome outcome = service.get().registriesUp(loaded.spec(), loaded.plan(), run.options(output, config),
                    new StepProgress(output.err(), StepProgress.onTerminal()));
            return RunReport.print(outcome, ProvisionService.REGISTRY_UP, output, loaded.plan());
        }
    }

    /** Options shared by the teardown commands. */
    abstract static class TeardownCommand implements Callable<Integer> {

        @Mixin
        ProjectOptions project;

        @Mixin
        OutputOptions output;

        @Option(names = "--wait", description = "Wait for another run of this project to finish instead of exiting.")
        boolean waitForLease;

        @Inject
        LoConfig config;

        @Inject
        Instance<ProvisionService> provisions;

        @Inject
        Instance<TeardownService> teardown;

        TeardownService.Options options() {
            return new TeardownService.Options(waitForLease, output.commandLine(), config.parallelism());
        }

        StepProgress progress() {
            return new StepProgress(output.err(), StepProgress.onTerminal());
        }
    }

    @Command(name = "down", mixinStandardHelpOptions = true,
            description = "Stop this project's registries (build, cache and, without a shared network, its mirrors); "
                    + "containers and data stay. 'lo registry up' starts them again.")
    static class Down extends TeardownCommand {
        @Override
        public Integer call() {
            var loaded = RunReport.load(project, config, provisions.get(), "registry down", output);
            return RunReport.print(teardown.get().down(loaded.plan(), options(), progress()), "registry down", output);
        }
    }

    @Command(name = "clean", mixinStandardHelpOptions = true,
            description = {"Remove this project's build and cache registries and their volumes. Shared mirrors stay.",
                    "--shared also removes the shared mirrors, their volumes and the shared network; it refuses while "
                            + "other projects' nodes or other containers are attached, unless --force."})
    static class Clean extends TeardownCommand {

        @Option(names = "--shared", description = "Also remove the shared mirrors, their volumes and the shared network.")
        boolean shared;

        @Option(names = "--force", description = "With --shared: disconnect other projects' nodes and containers first.")
        boolean force;

        @Override
        public Integer call() {
            String command = shared ? "registry clean --shared" : "registry clean";
            if (force && !shared) {
                output.err().println(Reason.errorLine("--force only applies with --shared: lo registry clean "
                        + project.domain() + " --shared --force"));
                return ExitCodes.INVALID;
            }
            var loaded = RunReport.load(project, config, provisions.get(), command, output);
            RunOutcome outcome = teardown.get().clean(loaded.plan(), shared, force, options(), progress());
            return RunReport.print(outcome, command, output);
        }
    }
}
