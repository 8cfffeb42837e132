package dev.lok8s.lo.plan;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Inputs to a plan that do not come from {@code cluster.lok8s.yaml}.
 *
 * @param namePrefix  prepended to every name the plan invents (shared mirror containers and all
 *                    volumes), never to names the spec gives; tests use it to stay apart. Default ""
 * @param extraLabels added to every resource (tests add {@code dev.lok8s.test=<id>}); may not
 *                    override a {@link Labels#RESERVED} key
 * @param projectDir  absolute {@code clusters/<domain>/} directory; certs.d lives under it
 * @param hostPorts   the loopback ports build and cache are published on when the spec gives none
 */
public record PlanSettings(String namePrefix, Map<String, String> extraLabels, Path projectDir,
                           HostPortRule hostPorts) {

    /** With the default host port rule. */
    public PlanSettings(String namePrefix, Map<String, String> extraLabels, Path projectDir) {
        this(namePrefix, extraLabels, projectDir, HostPortRule.DEFAULT);
    }

    public PlanSettings {
        hostPorts = hostPorts == null ? HostPortRule.DEFAULT : hostPorts;
        namePrefix = namePrefix == null ? "" : namePrefix;
        extraLabels = extraLabels == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(extraLabels));
        if (projectDir == null || !projectDir.isAbsolute()) {
            throw new IllegalArgumentException("projectDir must be an absolute path, was " + projectDir);
        }
        projectDir = projectDir.normalize();
        for (String key : extraLabels.keySet()) {
            if (Labels.RESERVED.contains(key)) {
                throw new IllegalArgumentException("extra label " + key + " would override a label lo sets itself");
            }
        }
    }

    /** No prefix, no extra labels: what {@code lo provision} uses. */
    public static PlanSettings of(Path projectDir) {
        return new PlanSettings("", Map.of(), projectDir);
    }

    /** These settings with another host port rule. */
    public PlanSettings withHostPorts(HostPortRule rule) {
        return new PlanSettings(namePrefix, extraLabels, projectDir, rule);
    }
}
