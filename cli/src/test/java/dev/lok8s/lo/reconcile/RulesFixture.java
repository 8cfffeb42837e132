package dev.lok8s.lo.reconcile;

import dev.lok8s.lo.plan.PlanSettings;
import dev.lok8s.lo.plan.Planner;
import dev.lok8s.lo.plan.RegistryPlan;
import dev.lok8s.lo.spec.Cidr;
import dev.lok8s.lo.spec.ClusterSpec;
import dev.lok8s.lo.spec.MirrorSpec;
import dev.lok8s.lo.spec.NetworkSpec;
import dev.lok8s.lo.spec.NodesSpec;
import dev.lok8s.lo.spec.RegistriesSpec;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;

/** The document's slot-125 project with two shared mirrors; and its non-shared and TLS variants. */
final class RulesFixture {

    static final String IMAGE = RegistriesSpec.DEFAULT_IMAGE;

    static RegistryPlan plan(boolean shared, boolean tls) {
        return plan(shared, tls, Path.of("/p/clusters/lok8s.dev"));
    }

    /** @param projectDir where certs.d goes: a temp dir in tests that write files */
    static RegistryPlan plan(boolean shared, boolean tls, Path projectDir) {
        return Planner.plan(new ClusterSpec(projectDir.resolve("cluster.lok8s.yaml"),
                        "lok8s", "lok8s.dev", 125, new NetworkSpec("lok8s", Cidr.parse("10.125.125.0/24")),
                        new RegistriesSpec(shared, new NetworkSpec("lok8s-registries", Cidr.parse("10.125.200.0/24")),
                                List.of(new MirrorSpec("io-docker", URI.create("https://registry-1.docker.io")),
                                        new MirrorSpec("io-quay", URI.create("https://quay.io"))), tls, IMAGE),
                        "kind", null, NodesSpec.DEFAULT),
                PlanSettings.of(projectDir));
    }

    static final RegistryPlan SHARED = plan(true, false);

    private RulesFixture() {
    }
}
