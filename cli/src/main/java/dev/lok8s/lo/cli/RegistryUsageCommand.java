package dev.lok8s.lo.cli;

import dev.lok8s.lo.cache.UsageReport;
import dev.lok8s.lo.cache.UsageService;
import dev.lok8s.lo.config.LoConfig;
import dev.lok8s.lo.engine.ContainerEngine;
import dev.lok8s.lo.plan.RegistryPlan;
import dev.lok8s.lo.store.EventStore;
import jakarta.inject.Inject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.concurrent.Callable;

@Command(name = "usage", mixinStandardHelpOptions = true,
        description = {"How much each registry holds: disk used by its volume, repositories and tags in its catalog, "
                + "the last pull it served (from its recent log lines), and for shared mirrors the projects using them.",
                "Sizes in units in text, in bytes with -o json."})
public class RegistryUsageCommand implements Callable<Integer> {

    @Mixin
    ProjectOptions project;

    @Mixin
    OutputOptions output;

    @Inject
    LoConfig config;

    @Inject
    EventStore store;

    @Inject
    ContainerEngine engine;

    @Override
    public Integer call() {
        RegistryPlan plan = project.load(config).plan();
        UsageReport report = new UsageService(store, engine).report(plan);
        if (output.json()) {
            output.printJson(report);
        } else {
            RegistryUsageText.print(report, output.out());
            report.registries().stream().filter(r -> r.error() != null)
                    .forEach(r -> output.err().println("warning: " + r.container() + ": " + r.error()));
            output.err().flush();
        }
        return ExitCodes.OK;
    }
}
