package dev.lok8s.lo.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lok8s.lo.spec.SpecBuilder;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code lo provision} tells the cluster where its registries are: the stand-in kind's kubeconfig
 * points at the fabric8 mock API server in CRUD mode (on loopback), the provision's
 * registry-discovery step writes both ConfigMaps and records it, a re-run reads and writes nothing,
 * and a mirror added to the spec refreshes the registry list.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RegistryDiscoveryIT {

    static final String ID = "rd";
    static final String DOMAIN = "rd.test";
    static final String NAME = "lotest-rd";
    static final String CIDR = "10.213.173.0/24";
    static final String SHARED = "lotest-rd-registries";
    static final String SHARED_CIDR = "10.213.174.0/24";
    static final String STEP = "registry-discovery:" + NAME;

    @RegisterExtension
    static final DockerCleanup DOCKER = DockerCleanup.forTest(ID);

    @TempDir
    static Path root;
    @TempDir
    static Path state;

    static LoCli lo;
    static ProvisionFixture fixture;
    static ProvisionFixture.Upstream upstream;
    static KubernetesMockServer api;
    static KubernetesClient client;

    @BeforeAll
    static void aMockApiServerTheStandInKindPointsAt() {
        api = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(), false);
        api.init(InetAddress.getLoopbackAddress(), 0);
        client = api.createClient();
        lo = LoCli.forTest(ID, state).env("LO_REGISTRY_DISCOVERY", "true")
                .env("LO_TEST_KIND_API_SERVER", api.url("/").replaceAll("/$", ""));
        fixture = new ProvisionFixture(lo, root);
        fixture.createLoLikeNetwork(SHARED, SHARED_CIDR, true, null);
        upstream = fixture.startSeededUpstream("lotest-rd-upstream", SHARED, SHARED_CIDR);
        fixture.writeSpec(DOMAIN, NAME, CIDR, SHARED, SHARED_CIDR, upstream.mirrorUrl());
    }

    @AfterAll
    static void cleanUp() {
        if (client != null) {
            client.close();
        }
        if (api != null) {
            api.destroy();
        }
    }

    static ConfigMap configMap(String namespace, String name) {
        return client.configMaps().inNamespace(namespace).withName(name).get();
    }

    static List<String> writes() throws InterruptedException {
        List<String> writes = new ArrayList<>();
        var request = api.takeRequest(10, TimeUnit.MILLISECONDS);
        while (request != null) {
            if (!request.getMethod().equals("GET")) {
                writes.add(request.getMethod() + " " + request.getPath());
            }
            request = api.takeRequest(10, TimeUnit.MILLISECONDS);
        }
        return writes;
    }

    @Test
    @Order(1)
    void provisionWritesBothConfigMapsAfterTheClusterAndRecordsIt() throws Exception {
        JsonNode run = fixture.provision(0, DOMAIN);
        assertThat(run.path("steps").path(STEP).asText()).as("%s", run).isEqualTo("created");

        ConfigMap hosting = configMap("kube-public", "local-registry-hosting");
        assertThat(hosting).as("KEP-1755 ConfigMap").isNotNull();
        assertThat(hosting.getData().get("localRegistryHosting.v1"))
                .as("where the host pushes: build on its loopback port (test base + 10 * slot + 1)")
                .contains("host: \"localhost:" + (LoCli.TEST_HOST_PORT_BASE + 10 * slot(CIDR) + 1) + "\"")
                .contains("hostFromClusterNetwork: \"lok8s.local\"", "hostFromContainerRuntime: \"lok8s.local\"",
                        "help: \"https://");
        assertThat(hosting.getMetadata().getLabels()).containsEntry("app.kubernetes.io/managed-by", "lo");
        ConfigMap registries = configMap("kube-system", "lok8s-registries");
        assertThat(registries.getData().get("registries.json")).contains(ProvisionFixture.host(SHARED_CIDR, "2"),
                "\"shared\" : true", "io-docker");

        List<JsonNode> events = fixture.history("--run", run.path("runId").asText(), "--type",
                "ClusterRegistriesPublished");
        assertThat(events).as("recorded").hasSize(1);
        assertThat(events.getFirst().path("payload").path("configMaps").toString())
                .contains("kube-public/local-registry-hosting", "kube-system/lok8s-registries");
        writes();
    }

    @Test
    @Order(2)
    void aReRunFindsThemRightAndWritesNothing() throws Exception {
        JsonNode run = fixture.provision(0, DOMAIN);
        assertThat(fixture.stepOutcomes(run.path("runId").asText())).containsEntry(STEP, "unchanged");
        assertThat(writes()).as("no write to the API server").isEmpty();
    }

    @Test
    @Order(3)
    void aMirrorAddedToTheSpecRefreshesTheRegistryList() {
        fixture.write(DOMAIN, SpecBuilder.named(NAME).network(NAME, CIDR).shared(true).sharedNetwork(SHARED, SHARED_CIDR)
                .mirrors("io-docker", upstream.mirrorUrl(), "io-quay", upstream.mirrorUrl()));
        JsonNode run = fixture.provision(0, DOMAIN);
        assertThat(run.path("steps").path(STEP).asText()).as("%s", run).isEqualTo("replaced");
        assertThat(configMap("kube-system", "lok8s-registries").getData().get("registries.json")).contains("io-quay",
                ProvisionFixture.host(SHARED_CIDR, "3"));
    }

    /** The third octet of a /24: the project's slot. */
    private static int slot(String cidr) {
        return Integer.parseInt(cidr.split("\\.")[2]);
    }
}
