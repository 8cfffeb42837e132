package dev.lok8s.lo.plan;

import java.util.Set;

/**
 * The plan of {@code lo registry up}: the provision plan minus the cluster and its node
 * connections (networks, image, TLS certificate, registries, certs.d, verify), hashed anew so a
 * failed {@code registry up} resumes only another {@code registry up} of the same plan.
 */
public final class RegistriesOnly {

    static final Set<StepKind> CLUSTER_STEPS = Set.of(StepKind.CLUSTER, StepKind.CONNECT,
            StepKind.REGISTRY_DISCOVERY);

    private RegistriesOnly() {
    }

    public static RegistryPlan of(RegistryPlan plan) {
        return plan.withSteps(plan.steps().stream().filter(s -> !CLUSTER_STEPS.contains(s.kind())).toList());
    }
}
