package dev.lok8s.lo.cli;

import dev.lok8s.lo.config.LoConfig;
import dev.lok8s.lo.engine.ContainerEngine;
import dev.lok8s.lo.plan.RegistryPlan;
import dev.lok8s.lo.store.EventStore;
import dev.lok8s.lo.upstream.MirrorUpstreams;
import jakarta.inject.Inject;
import picocli.CommandLine.Mixin;

import java.util.concurrent.Callable;

/**
 * A command that reports on one project's registries without changing anything: it loads the
 * project's plan (DOMAIN, {@code -f}), then reads the log and asks the engine. {@code lo doctor},
 * {@code lo registry status} and {@code lo registry usage}.
 */
abstract class ProjectReportCommand implements Callable<Integer> {

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

    @Inject
    MirrorUpstreams upstreams;

    @Override
    public final Integer call() {
        return report(project.load(config).plan());
    }

    /** Prints the report on the plan (text or JSON) and returns the exit code. */
    abstract int report(RegistryPlan plan);
}
