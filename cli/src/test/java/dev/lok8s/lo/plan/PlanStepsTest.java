package dev.lok8s.lo.plan;

import dev.lok8s.lo.spec.SpecBuilder;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class PlanStepsTest {

    @Test
    void sharedPlainStepsInOrder() {
        RegistryPlan plan = SpecBuilder.defaultCluster().plan();
        assertThat(plan.stepIds()).as("step order").containsExactly(
                "check-subnets",
                "network:lok8s",
                "network:lok8s-registries",
                "image:registry:2.8.3",
                "registry:lok8s-registry-build",
                "registry:lok8s-registry-cache",
                "registry:lok8s-registry-io-docker",
                "registry:lok8s-registry-io-quay",
                "registry:lok8s-registry-io-k8s",
                "registry:lok8s-registry-io-ghcr",
                "certs-dir",
                "cluster:lok8s",
                "connect:lok8s-registries",
                "registry-discovery:lok8s",
                "verify");
        assertThat(plan.step("check-subnets").dependsOn()).as("check-subnets").isEmpty();
        assertThat(plan.step("network:lok8s").dependsOn()).as("project network").containsExactly("check-subnets");
        assertThat(plan.step("network:lok8s-registries").dependsOn()).as("shared network")
                .containsExactly("check-subnets");
        assertThat(plan.step("image:registry:2.8.3").dependsOn()).as("image").containsExactly("check-subnets");
        assertThat(plan.step("registry:lok8s-registry-build").dependsOn()).as("build registry")
                .containsExactly("network:lok8s", "image:registry:2.8.3");
        assertThat(plan.step("registry:lok8s-registry-io-docker").dependsOn()).as("shared mirror")
                .containsExactly("network:lok8s-registries", "image:registry:2.8.3");
        assertThat(plan.step("certs-dir").dependsOn()).as("certs-dir").containsExactly("check-subnets");
        assertThat(plan.step("cluster:lok8s").dependsOn()).as("cluster").containsExactlyInAnyOrder(
                "network:lok8s", "registry:lok8s-registry-build", "registry:lok8s-registry-cache", "certs-dir");
        assertThat(plan.step("connect:lok8s-registries").dependsOn()).as("connect")
                .containsExactlyInAnyOrder("cluster:lok8s", "network:lok8s-registries");
        assertThat(plan.step("registry-discovery:lok8s").dependsOn()).as("the ConfigMaps need the cluster")
                .containsExactly("cluster:lok8s");
        assertThat(plan.step("verify").dependsOn()).as("verify waits for every registry").containsExactly(
                "registry:lok8s-registry-build", "registry:lok8s-registry-cache",
                "registry:lok8s-registry-io-docker", "registry:lok8s-registry-io-quay",
                "registry:lok8s-registry-io-k8s", "registry:lok8s-registry-io-ghcr");
        assertThat(plan.step("network:lok8s").kind()).as("kind").isEqualTo(StepKind.NETWORK);
        assertThat(plan.step("certs-dir").target()).as("certs-dir target").isEqualTo(plan.certsDir());
        assertDependenciesComeFirst(plan);
    }

    @Test
    void tlsAddsTheCertificateStepAfterNetworks() {
        RegistryPlan plan = SpecBuilder.defaultCluster().tls(true).plan();
        assertThat(plan.stepIds()).as("tls-cert after image, before registries")
                .containsSubsequence("network:lok8s-registries", "image:registry:2.8.3", "tls-cert",
                        "registry:lok8s-registry-build");
        PlannedStep tlsCert = plan.step("tls-cert");
        assertThat(tlsCert.kind()).as("kind").isEqualTo(StepKind.TLS_CERT);
        assertThat(tlsCert.dependsOn()).as("tls-cert after networks")
                .containsExactly("network:lok8s", "network:lok8s-registries");
        assertThat(tlsCert.target()).as("certificate dir")
                .isEqualTo("/home/dev/lok8s/clusters/lok8s.dev/.secrets/tls/registries");
        assertThat(plan.registries()).as("every registry waits for the certificate")
                .allSatisfy(r -> assertThat(plan.step("registry:" + r.container()).dependsOn()).contains("tls-cert"));
        assertThat(plan.step("certs-dir").dependsOn()).as("certs.d after the CA copy").containsExactly("tls-cert");
        assertDependenciesComeFirst(plan);
    }

    @Test
    void nonSharedHasNoSharedNetworkOrConnect() {
        RegistryPlan plan = SpecBuilder.slot(50).shared(false).plan();
        assertThat(plan.stepIds()).as("non-shared steps").containsExactly(
                "check-subnets",
                "network:lok8s-50",
                "image:registry:2.8.3",
                "registry:lok8s-50-registry-build",
                "registry:lok8s-50-registry-cache",
                "registry:lok8s-50-registry-io-docker",
                "registry:lok8s-50-registry-io-quay",
                "registry:lok8s-50-registry-io-k8s",
                "registry:lok8s-50-registry-io-ghcr",
                "certs-dir",
                "cluster:lok8s-50",
                "registry-discovery:lok8s-50",
                "verify");
        assertThat(plan.step("registry:lok8s-50-registry-io-docker").dependsOn()).as("project mirror")
                .containsExactly("network:lok8s-50", "image:registry:2.8.3");
        assertDependenciesComeFirst(plan);
    }

    private static void assertDependenciesComeFirst(RegistryPlan plan) {
        Set<String> done = new HashSet<>();
        for (PlannedStep step : plan.steps()) {
            assertThat(done).as("dependencies of %s are listed before it", step.id()).containsAll(step.dependsOn());
            assertThat(done.add(step.id())).as("step id %s is unique", step.id()).isTrue();
        }
    }
}
