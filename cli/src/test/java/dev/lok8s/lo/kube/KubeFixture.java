package dev.lok8s.lo.kube;

import dev.lok8s.lo.plan.PlanSettings;
import dev.lok8s.lo.plan.Planner;
import dev.lok8s.lo.plan.RegistryPlan;
import dev.lok8s.lo.spec.SpecBuilder;
import dev.lok8s.lo.spec.SpecParser;

import java.nio.file.Path;

/** Plans for the registry-discovery tests, from spec text as a user writes it. */
final class KubeFixture {

    private KubeFixture() {
    }

    static RegistryPlan plan(Path dir, boolean shared, boolean tls, String... extraMirrors) {
        SpecBuilder builder = SpecBuilder.named("kd").networkCidr("10.213.88.0/24").tls(tls).shared(shared)
                .sharedNetwork(null, "10.213.89.0/24").mirrors("io-docker", "https://registry-1.docker.io");
        for (String mirror : extraMirrors) {
            builder.mirror(mirror, "https://" + mirror + ".example");
        }
        Path spec = builder.writeProject(dir, "kd.test");
        return Planner.plan(new SpecParser().parse(spec, "kd.test"), PlanSettings.of(spec.getParent()));
    }
}
