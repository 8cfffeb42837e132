package dev.lok8s.lo.plan;

import java.util.List;
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
        List<PlannedStep> steps = plan.steps().stream().filter(s -> !CLUSTER_STEPS.contains(s.kind())).toList();
        RegistryPlan unhashed = with(plan, steps, null);
        return with(plan, steps, PlanHash.of(unhashed));
    }

    private static RegistryPlan with(RegistryPlan p, List<PlannedStep> steps, String hash) {
        return new RegistryPlan(p.project(), p.domain(), p.slot(), p.clusterName(), p.projectNetwork(),
                p.sharedNetwork(), p.tls(), p.port(), p.image(), p.registries(), p.tlsSans(), p.certsDir(),
                p.certsFiles(), p.kindConfig(), steps, hash);
    }
}
