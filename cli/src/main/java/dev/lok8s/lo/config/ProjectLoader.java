package dev.lok8s.lo.config;

import dev.lok8s.lo.plan.HostPortRule;
import dev.lok8s.lo.plan.PlanSettings;
import dev.lok8s.lo.plan.Planner;
import dev.lok8s.lo.plan.RegistryPlan;
import dev.lok8s.lo.spec.ClusterSpec;
import dev.lok8s.lo.spec.SpecLocator;
import dev.lok8s.lo.spec.SpecParser;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Finds, reads and plans a project's spec with lo's settings applied (the registry image
 * override, name prefix, extra labels): one place for the CLI and the REST API.
 */
public final class ProjectLoader {

    /** A spec read and validated, and the plan made from it. */
    public record Loaded(ClusterSpec spec, RegistryPlan plan) {
    }

    private ProjectLoader() {
    }

    /** Throws SpecInvalidException for a missing or invalid spec. */
    public static Loaded load(Path workingDir, String domain, Path explicitFile, LoConfig config) {
        Path specFile = new SpecLocator().locate(workingDir, domain, explicitFile);
        ClusterSpec spec = withImageOverride(new SpecParser().parse(specFile, domain), config);
        Path projectDir = specFile.toAbsolutePath().getParent();
        RegistryPlan plan = Planner.plan(spec,
                new PlanSettings(config.namePrefix().orElse(""), labels(config.extraLabels().orElse("")), projectDir,
                        hostPorts(config)));
        return new Loaded(spec, plan);
    }

    private static ClusterSpec withImageOverride(ClusterSpec spec, LoConfig config) {
        return config.registryImage().filter(image -> !image.isBlank()).map(image -> {
            return new ClusterSpec(spec.file(), spec.name(), spec.domain(), spec.slot(), spec.network(),
                    spec.registries().withImage(image),
                    spec.runtime(), spec.kubernetesVersion(), spec.nodes());
        }).orElse(spec);
    }

    /** The host port rule the settings give; a base that leaves no room for every slot is bad input. */
    public static HostPortRule hostPorts(LoConfig config) {
        return new HostPortRule(config.hostPorts(), config.hostPortBase());
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
