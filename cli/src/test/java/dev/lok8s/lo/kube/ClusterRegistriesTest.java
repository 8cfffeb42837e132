package dev.lok8s.lo.kube;

import dev.lok8s.lo.events.StepOutcome;
import dev.lok8s.lo.plan.RegistryPlan;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The ensure-operation against the fabric8 mock API server in CRUD mode (on loopback). */
class ClusterRegistriesTest {

    @TempDir
    Path dir;

    KubernetesMockServer server;
    KubernetesClient client;

    @BeforeEach
    void crudApiServer() {
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(), false);
        server.init();
        client = server.createClient();
    }

    @AfterEach
    void stop() {
        client.close();
        server.destroy();
    }

    /** Methods of the requests the server received since the last call, e.g. GET, POST, PUT. */
    List<String> requests() throws InterruptedException {
        List<String> methods = new ArrayList<>();
        var request = server.takeRequest(10, TimeUnit.MILLISECONDS);
        while (request != null) {
            methods.add(request.getMethod() + " " + request.getPath());
            request = server.takeRequest(10, TimeUnit.MILLISECONDS);
        }
        return methods;
    }

    ConfigMap get(String namespace, String name) {
        return client.configMaps().inNamespace(namespace).withName(name).get();
    }

    /** A kubeconfig like kind's, pointing at the mock server. */
    String kubeconfig() {
        return """
                apiVersion: v1
                kind: Config
                clusters:
                - cluster:
                    server: %s
                  name: kind-kd
                contexts:
                - context:
                    cluster: kind-kd
                    user: kind-kd
                  name: kind-kd
                current-context: kind-kd
                users:
                - name: kind-kd
                  user: {}
                """.formatted(server.url("/").replaceAll("/$", ""));
    }

    @Test
    void createsBothConfigMapsThenWritesNothingWhileTheyAreRight() throws Exception {
        RegistryPlan plan = KubeFixture.plan(dir, true, false);

        var first = ClusterRegistries.ensure(plan, kubeconfig());
        assertThat(first.outcome()).isEqualTo(StepOutcome.created);
        assertThat(first.event()).as("recorded").isNotNull();
        assertThat(first.event().configMaps()).containsExactly("kube-public/local-registry-hosting",
                "kube-system/lok8s-registries");
        assertThat(get("kube-public", "local-registry-hosting").getData().get("localRegistryHosting.v1"))
                .contains("host: \"localhost:20881\"", "hostFromClusterNetwork: \"lok8s.local\"");
        assertThat(get("kube-system", "lok8s-registries").getMetadata().getLabels())
                .containsEntry("app.kubernetes.io/managed-by", "lo");
        requests();

        var second = ClusterRegistries.ensure(plan, kubeconfig());
        assertThat(second.outcome()).isEqualTo(StepOutcome.unchanged);
        assertThat(second.event()).as("nothing to record").isNull();
        assertThat(requests()).as("only reads when already right").isNotEmpty().allMatch(r -> r.startsWith("GET "));
    }

    @Test
    void aMirrorAddedOrTlsSwitchedRefreshesOnlyWhatChanged() throws Exception {
        ClusterRegistries.ensure(KubeFixture.plan(dir, true, false), client);
        requests();

        var added = ClusterRegistries.ensure(KubeFixture.plan(dir, true, false, "io-quay"), client);
        assertThat(added.outcome()).isEqualTo(StepOutcome.replaced);
        assertThat(added.event().configMaps()).as("local-registry-hosting did not change")
                .containsExactly("kube-system/lok8s-registries");
        assertThat(get("kube-system", "lok8s-registries").getData().get("registries.json")).contains("io-quay");
        assertThat(requests()).as("one write").filteredOn(r -> !r.startsWith("GET ")).hasSize(1);

        var tls = ClusterRegistries.ensure(KubeFixture.plan(dir, true, true, "io-quay"), client);
        assertThat(tls.outcome()).isEqualTo(StepOutcome.replaced);
        assertThat(get("kube-system", "lok8s-registries").getData().get("registries.json"))
                .contains("https://10.213.88.101/v2/_catalog");
        assertThat(tls.event().dataHash()).isNotEqualTo(added.event().dataHash());
    }

    @Test
    void aConfigMapAnotherToolWroteIsAdoptedKeepingItsLabels() {
        client.configMaps().inNamespace("kube-public").resource(new ConfigMapBuilder().withNewMetadata()
                .withName("local-registry-hosting").withNamespace("kube-public")
                .withLabels(Map.of("owner", "ctlptl")).endMetadata()
                .withData(Map.of("localRegistryHosting.v1", "host: \"localhost:5000\"\n")).build()).create();

        var publication = ClusterRegistries.ensure(KubeFixture.plan(dir, true, false), client);

        assertThat(publication.outcome()).isEqualTo(StepOutcome.adopted);
        ConfigMap hosting = get("kube-public", "local-registry-hosting");
        assertThat(hosting.getData().get("localRegistryHosting.v1")).as("lo's data replaces the other tool's")
                .contains("localhost:20881").doesNotContain("localhost:5000");
        assertThat(hosting.getMetadata().getLabels()).containsEntry("owner", "ctlptl")
                .containsEntry("dev.lok8s.managed-by", "lo");
    }

    @Test
    void anUnreachableApiServerIsAOneLineErrorNamingTheConfigMapAndCluster() {
        String kubeconfig = kubeconfig();
        server.destroy();
        assertThatThrownBy(() -> ClusterRegistries.ensure(KubeFixture.plan(dir, true, false), kubeconfig))
                .isInstanceOf(ClusterRegistries.ClusterApiException.class)
                .hasMessageContaining("kube-public/local-registry-hosting").hasMessageContaining("kd");
    }
}
