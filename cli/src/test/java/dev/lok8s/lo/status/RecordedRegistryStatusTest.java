package dev.lok8s.lo.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lok8s.lo.engine.ContainerInfo;
import dev.lok8s.lo.engine.NetworkInfo;
import dev.lok8s.lo.engine.PublishedPort;
import dev.lok8s.lo.plan.Labels;
import dev.lok8s.lo.plan.Role;
import dev.lok8s.lo.plan.Scope;
import dev.lok8s.lo.projection.RegistryLog.RecordedNetwork;
import dev.lok8s.lo.projection.RegistryLog.RecordedProject;
import dev.lok8s.lo.projection.RegistryLog.RecordedRegistry;
import dev.lok8s.lo.registry.RegistryProbe;
import dev.lok8s.lo.status.RegistryStatusReport.RegistryStatus;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The registry status the REST API answers from the log alone (no spec), assembled from given rows and observations. */
class RecordedRegistryStatusTest {

    static final String SHARED = "lok8s-registries";
    static final String MIRROR = "lok8s-registry-io-docker";
    static final String BUILD = "lok8s-registry-build";

    static RecordedRegistryStatus.Recorded recorded() {
        return new RecordedRegistryStatus.Recorded(
                List.of(new RecordedProject("lok8s", "lok8s.dev", 125, "10.125.125.0/24", "lok8s")),
                List.of(new RecordedRegistry(BUILD, Role.BUILD, Scope.PROJECT, "lok8s", "lok8s.dev", "lok8s",
                                "10.125.125.101", "running", null, "h1", 21251),
                        new RecordedRegistry(MIRROR, Role.MIRROR, Scope.SHARED, "lok8s", "lok8s.dev", SHARED,
                                "10.125.200.2", "running", "https://registry-1.docker.io", "h3", null)),
                Map.of("lok8s", new RecordedNetwork("lok8s", "10.125.125.0/24", Scope.PROJECT),
                        SHARED, new RecordedNetwork(SHARED, "10.125.200.0/24", Scope.SHARED)),
                Map.of("lok8s", Set.of("lok8s", SHARED)), Map.of(SHARED, Set.of("lok8s")));
    }

    /** A mirror running with a login (its fingerprint on its label, as lo starts it), answering. */
    static RecordedRegistryStatus.Live live() {
        return new RecordedRegistryStatus.Live(Map.of(
                MIRROR, new ContainerInfo("m1", MIRROR, "registry:2", "running", Map.of(Labels.MANAGED_BY,
                        Labels.MANAGED_BY_LO, Labels.CONFIG_HASH, "h3", Labels.UPSTREAM_LOGIN, "fingerprint"),
                        Map.of(SHARED, "10.125.200.2")),
                BUILD, new ContainerInfo("b1", BUILD, "registry:2", "running", Map.of(Labels.MANAGED_BY,
                        Labels.MANAGED_BY_LO, Labels.CONFIG_HASH, "h1", Labels.HOST_PORT, "21251"),
                        Map.of("lok8s", "10.125.125.101"),
                        List.of(new PublishedPort("127.0.0.1", 21251, 5000)))),
                Map.of("lok8s", new NetworkInfo("n1", "lok8s", "10.125.125.0/24", Map.of(), Map.of()),
                        SHARED, new NetworkInfo("n2", SHARED, "10.125.200.0/24", Map.of(), Map.of())),
                Map.of(MIRROR, new RegistryProbe.Answer(true, 200, null), BUILD, new RegistryProbe.Answer(true, 200, null)));
    }

    /**
     * The login states and problems come from asking the upstream with the Docker configuration's login,
     * which a status from the log does not do; the log records only that a mirror was started with a login
     * (its fingerprint), not whether the upstream takes it. So both fields stay null ("not looked up"),
     * never a guess (docs/api.md).
     */
    @Test
    void aMirrorsUpstreamLoginIsNotLookedUpFromTheLogSoBothFieldsAreNull() throws Exception {
        RegistryStatusReport report = RecordedRegistryStatus.assemble(recorded(), live()).getFirst();
        RegistryStatus mirror = report.shared().getFirst();
        assertThat(mirror.container()).isEqualTo(MIRROR);
        assertThat(mirror.mode()).as("from the container's label").isEqualTo("proxy");
        assertThat(mirror.upstreamLogin()).as("not looked up").isNull();
        assertThat(mirror.upstreamProblem()).as("not looked up").isNull();

        JsonNode json = new ObjectMapper().valueToTree(mirror);
        assertThat(json.has("upstreamLogin")).as("the field is in the JSON, as null").isTrue();
        assertThat(json.get("upstreamLogin").isNull()).isTrue();
        assertThat(json.get("upstreamProblem").isNull()).isTrue();
    }

    @Test
    void aBuildRegistryRunningWithoutThePortTheLogRecordsIsDrift() {
        RecordedRegistryStatus.Live published = live();
        assertThat(RecordedRegistryStatus.assemble(recorded(), published).getFirst().drift()).isEmpty();

        Map<String, ContainerInfo> containers = new java.util.LinkedHashMap<>(published.containers());
        ContainerInfo build = containers.get(BUILD);
        Map<String, String> labels = new java.util.LinkedHashMap<>(build.labels());
        labels.remove(Labels.HOST_PORT);  // made by an lo before host ports
        containers.put(BUILD, new ContainerInfo(build.id(), BUILD, build.image(), "running", labels, build.networks()));
        RegistryStatusReport report = RecordedRegistryStatus.assemble(recorded(),
                new RecordedRegistryStatus.Live(containers, published.networks(), published.answers())).getFirst();

        assertThat(report.drift()).singleElement().satisfies(d -> {
            assertThat(d.kind()).isEqualTo(RegistryStatusReport.DriftKind.HOST_PORT_MISSING);
            assertThat(d.message()).isEqualTo(BUILD + " runs without its host port 127.0.0.1:21251: docker push"
                    + " localhost:21251 does not reach it");
            assertThat(d.fix()).startsWith("lo registry up lok8s.dev");
        });
    }
}
