package dev.lok8s.lo.reconcile;

import dev.lok8s.lo.plan.PlanSettings;
import dev.lok8s.lo.plan.Planner;
import dev.lok8s.lo.plan.RegistryPlan;
import dev.lok8s.lo.spec.RegistriesSpec;
import dev.lok8s.lo.spec.SpecBuilder;

import java.nio.file.Path;

/** The document's slot-125 project with two shared mirrors; and its non-shared and TLS variants. */
final class RulesFixture {

    static final String IMAGE = RegistriesSpec.DEFAULT_IMAGE;

    static RegistryPlan plan(boolean shared, boolean tls) {
        return plan(shared, tls, Path.of("/p/clusters/lok8s.dev"));
    }

    /** @param projectDir where certs.d goes: a temp dir in tests that write files */
    static RegistryPlan plan(boolean shared, boolean tls, Path projectDir) {
        return Planner.plan(SpecBuilder.defaultCluster().shared(shared).tls(tls)
                        .mirrors("io-docker", "https://registry-1.docker.io", "io-quay", "https://quay.io").spec(),
                PlanSettings.of(projectDir));
    }

    static final RegistryPlan SHARED = plan(true, false);

    private RulesFixture() {
    }
}
