package dev.lok8s.lo.kube;

import dev.lok8s.lo.plan.PlanSettings;
import dev.lok8s.lo.plan.Planner;
import dev.lok8s.lo.plan.RegistryPlan;
import dev.lok8s.lo.spec.SpecParser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Plans for the registry-discovery tests, from spec text as a user writes it. */
final class KubeFixture {

    private KubeFixture() {
    }

    static RegistryPlan plan(Path dir, boolean shared, boolean tls, String... extraMirrors) {
        StringBuilder mirrors = new StringBuilder("""
                      - name: io-docker
                        url: https://registry-1.docker.io
                """);
        for (String mirror : extraMirrors) {
            mirrors.append("      - name: ").append(mirror).append("\n        url: https://").append(mirror)
                    .append(".example\n");
        }
        String yaml = """
                apiVersion: cluster.lok8s.dev/v1beta1
                kind: Lo
                metadata:
                  name: kd
                spec:
                  network:
                    cidr: "10.213.88.0/24"
                  registries:
                    tls: %s
                    shared:
                      enabled: %s
                      network:
                        cidr: "10.213.89.0/24"
                    mirrors:
                """.formatted(tls, shared) + mirrors;
        try {
            Path spec = dir.resolve("clusters/kd.test/cluster.lok8s.yaml");
            Files.createDirectories(spec.getParent());
            Files.writeString(spec, yaml);
            return Planner.plan(new SpecParser().parse(spec, "kd.test"), PlanSettings.of(spec.getParent()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
