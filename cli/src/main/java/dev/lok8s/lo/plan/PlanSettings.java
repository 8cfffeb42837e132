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
 */
public record PlanSettings(String namePrefix, Map<String, String> extraLabels, Path projectDir) {

    public PlanSettings {
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
}
