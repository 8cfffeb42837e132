package dev.lok8s.lo.kube;

import dev.lok8s.lo.plan.HostPortRule;
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

    /** The shared, plain-HTTP plan with another host port rule. */
    static RegistryPlan plan(Path dir, HostPortRule hostPorts) {
        RegistryPlan plan = plan(dir, true, false);
        Path spec = Path.of(plan.certsDir()).getParent().getParent().resolve("cluster.lok8s.yaml");
        return Planner.plan(new SpecParser().parse(spec, "kd.test"),
                PlanSettings.of(spec.getParent()).withHostPorts(hostPorts));
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
