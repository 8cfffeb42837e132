package dev.lok8s.lo.cli;

import dev.lok8s.lo.config.LoConfig;
import dev.lok8s.lo.plan.PlanSettings;
import dev.lok8s.lo.plan.Planner;
import dev.lok8s.lo.plan.RegistryPlan;
import dev.lok8s.lo.spec.ClusterSpec;
import dev.lok8s.lo.spec.RegistriesSpec;
import dev.lok8s.lo.spec.SpecLocator;
import dev.lok8s.lo.spec.SpecParser;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

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
        Path specFile = new SpecLocator().locate(Path.of("").toAbsolutePath(), domain, file);
        ClusterSpec spec = withImageOverride(new SpecParser().parse(specFile, domain), config);
        Path projectDir = specFile.toAbsolutePath().getParent();
        RegistryPlan plan = Planner.plan(spec,
                new PlanSettings(config.namePrefix().orElse(""), labels(config.extraLabels().orElse("")), projectDir));
        return new Project(spec, plan);
    }

    private static ClusterSpec withImageOverride(ClusterSpec spec, LoConfig config) {
        return config.registryImage().filter(image -> !image.isBlank()).map(image -> {
            RegistriesSpec r = spec.registries();
            return new ClusterSpec(spec.file(), spec.name(), spec.domain(), spec.slot(), spec.network(),
                    new RegistriesSpec(r.shared(), r.sharedNetwork(), r.mirrors(), r.tls(), image),
                    spec.runtime(), spec.kubernetesVersion(), spec.nodes());
        }).orElse(spec);
    }

    static Map<String, String> labels(String text) {
        Map<String, String> labels = new LinkedHashMap<>();
        for (String pair : text.split(",")) {
            if (pair.isBlank()) {
                continue;
            }
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("lo.extra-labels: '" + pair + "' is not key=value");
            }
            labels.put(pair.substring(0, eq).strip(), pair.substring(eq + 1).strip());
        }
        return labels;
    }
}
