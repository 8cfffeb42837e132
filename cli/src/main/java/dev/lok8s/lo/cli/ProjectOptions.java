package dev.lok8s.lo.cli;

import dev.lok8s.lo.config.LoConfig;
import dev.lok8s.lo.config.ProjectLoader;
import dev.lok8s.lo.plan.RegistryPlan;
import dev.lok8s.lo.spec.ClusterSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;

/** The project a command acts on: {@code [DOMAIN]} and {@code -f FILE}, read into a spec and a plan. */
public class ProjectOptions {

    @Parameters(index = "0", arity = "0..1", defaultValue = ClusterSpec.DEFAULT_DOMAIN, paramLabel = "DOMAIN",
            description = "Cluster domain; the spec is clusters/DOMAIN/cluster.lok8s.yaml (default: ${DEFAULT-VALUE}).")
    String domain = ClusterSpec.DEFAULT_DOMAIN;

    @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "Read the spec from FILE instead.")
    Path file;

    public String domain() {
        return domain;
    }

    /** A spec read and validated, and the plan made from it. */
    public record Project(ClusterSpec spec, RegistryPlan plan) {
    }

    /** Reads the spec (throws SpecInvalidException) and plans it with lo's settings. */
    public Project load(LoConfig config) {
        ProjectLoader.Loaded loaded = ProjectLoader.load(Path.of("").toAbsolutePath(), domain, file, config);
        return new Project(loaded.spec(), loaded.plan());
    }
}
