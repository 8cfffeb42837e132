package dev.lok8s.lo.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lok8s.lo.plan.Labels;
import dev.lok8s.lo.status.RegistryStatusReport.DriftKind;
import dev.lok8s.lo.status.RegistryStatusReport.RegistryStatus;
import org.junit.jupiter.api.Test;

import static dev.lok8s.lo.status.StatusFixture.BUILD;
import static dev.lok8s.lo.status.StatusFixture.CACHE;
import static dev.lok8s.lo.status.StatusFixture.DOCKER_MIRROR;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** The status report assembled from given observations: layout, states, reachability, users and drift. */
class RegistryStatusReportTest {

    private static RegistryStatus registry(RegistryStatusReport report, String container) {
        return report.all().stream().filter(r -> r.container().equals(container)).findFirst().orElseThrow();
    }

    @Test
    void listsSharedMirrorsAndProjectRegistriesAtTheirAddressesWhenAllIsWell() {
        RegistryStatusReport report = new StatusFixture().report();
        assertThat(report.sharedNetwork().name()).as("shared network").isEqualTo("lok8s-registries");
        assertThat(report.shared()).as("shared mirrors")
                .extracting(RegistryStatus::container, RegistryStatus::ip, RegistryStatus::display,
                        RegistryStatus::reachable)
                .containsExactly(tuple("lok8s-registry-io-docker", "10.125.200.2", "Running", true),
                        tuple("lok8s-registry-io-quay", "10.125.200.3", "Running", true));
        assertThat(report.projectRegistries()).as("per-project registries")
                .extracting(RegistryStatus::container, RegistryStatus::ip, RegistryStatus::actualIp,
                        RegistryStatus::catalogUrl)
                .containsExactly(tuple(BUILD, "10.125.125.101", "10.125.125.101", "http://10.125.125.101/v2/_catalog"),
                        tuple(CACHE, "10.125.125.102", "10.125.125.102", "http://10.125.125.102/v2/_catalog"));
        assertThat(registry(report, DOCKER_MIRROR).usedBy()).as("projects using the shared mirror")
                .containsExactlyInAnyOrder("lok8s", "other");
        assertThat(registry(report, BUILD).usedBy()).as("build is private").isEmpty();
        assertThat(report.drift()).as("drift").isEmpty();
    }

    @Test
    void showsStoppedAndMissingRegistriesWithoutProbingThem() {
        RegistryStatusReport report = new StatusFixture().state(BUILD, "exited").gone(CACHE).report();
        assertThat(registry(report, BUILD)).as("stopped build")
                .extracting(RegistryStatus::state, RegistryStatus::display, RegistryStatus::reachable)
                .containsExactly("exited", "Stopped", null);
        assertThat(registry(report, CACHE)).as("missing cache")
                .extracting(RegistryStatus::state, RegistryStatus::display, RegistryStatus::actualIp)
                .containsExactly("missing", "Missing", null);
    }

    @Test
    void reportsARegistryTheLogHasRunningButDockerLacks() {
        RegistryStatusReport report = new StatusFixture().gone(CACHE).report();
        assertThat(report.drift()).as("drift")
                .extracting(RegistryStatusReport.Drift::kind, RegistryStatusReport.Drift::container)
                .containsExactly(tuple(DriftKind.MISSING_CONTAINER, CACHE));
        assertThat(report.drift().getFirst().fix()).as("fix").isEqualTo("lo registry up lok8s.dev");
    }

    @Test
    void reportsAForeignContainerOnAPlannedAddress() {
        StatusFixture machine = new StatusFixture().gone(BUILD);
        machine.logged.remove(BUILD);
        machine.attach("lok8s", "squatter", "10.125.125.101");
        RegistryStatusReport report = machine.report();
        assertThat(report.drift()).as("drift").singleElement().satisfies(d -> {
            assertThat(d.kind()).as("kind").isEqualTo(DriftKind.FOREIGN_ON_ADDRESS);
            assertThat(d.message()).as("message").isEqualTo("address 10.125.125.101 on network 'lok8s' is taken by "
                    + "container 'squatter', planned for " + BUILD);
            assertThat(d.fix()).as("fix").isEqualTo("docker network disconnect lok8s squatter && lo registry up lok8s.dev");
        });
    }

    @Test
    void reportsAConfigHashThatDiffersFromThePlan() {
        RegistryStatusReport report = new StatusFixture().label(CACHE, Labels.CONFIG_HASH, "0123456789abcdef").report();
        assertThat(report.drift()).as("drift").singleElement().satisfies(d -> {
            assertThat(d.kind()).as("kind").isEqualTo(DriftKind.CONFIG_CHANGED);
            assertThat(d.message()).as("message").startsWith(CACHE + " runs registry config 0123456789ab, the plan has ");
        });
    }

    @Test
    void showsARestartingMirrorWithItsLikelyCause() {
        RegistryStatusReport report = new StatusFixture().state(DOCKER_MIRROR, "restarting").report();
        assertThat(registry(report, DOCKER_MIRROR).display()).as("display")
                .isEqualTo("Restarting (upstream unreachable?)");
        assertThat(report.drift()).as("drift").extracting(RegistryStatusReport.Drift::kind)
                .containsExactly(DriftKind.RESTARTING);
    }

    @Test
    void showsAMirrorThatRunsButDoesNotListen() {
        RegistryStatusReport report = new StatusFixture().unreachable(DOCKER_MIRROR, "ConnectException").report();
        assertThat(registry(report, DOCKER_MIRROR)).as("mirror")
                .extracting(RegistryStatus::display, RegistryStatus::reachable, RegistryStatus::probeError)
                .containsExactly("Running (not listening: upstream unreachable?)", false, "ConnectException");
    }

    @Test
    void reportsBuildOffItsPlannedAddressWithTheDocumentedFix() {
        RegistryStatusReport report = new StatusFixture().address(BUILD, "lok8s", "10.125.125.50").report();
        assertThat(report.drift()).as("drift").singleElement().satisfies(d -> {
            assertThat(d.kind()).as("kind").isEqualTo(DriftKind.WRONG_ADDRESS);
            assertThat(d.message()).as("message").isEqualTo(BUILD + " has address 10.125.125.50 on network 'lok8s', "
                    + "expected 10.125.125.101 (build is .101 of the project subnet 10.125.125.0/24)");
            assertThat(d.fix()).as("fix").isEqualTo("lo registry clean && lo provision lok8s.dev");
        });
    }

    @Test
    void reportsAContainerLoDidNotCreateUnderARegistryName() {
        RegistryStatusReport report = new StatusFixture().label(BUILD, Labels.MANAGED_BY, null).report();
        assertThat(report.drift()).as("drift").extracting(RegistryStatusReport.Drift::kind)
                .containsExactly(DriftKind.NOT_MANAGED);
    }

    @Test
    void serialisesToJsonAsTheRestApiWillServeIt() throws Exception {
        ObjectMapper json = new ObjectMapper();
        JsonNode tree = json.readTree(json.writeValueAsString(new StatusFixture().state(DOCKER_MIRROR, "restarting")
                .report()));
        assertThat(tree.fieldNames()).as("top-level fields").toIterable().containsExactly("project", "domain", "slot",
                "tls", "sharedNetwork", "projectNetwork", "shared", "projectRegistries", "drift");
        assertThat(tree.at("/shared/0/display").asText()).as("mirror display")
                .isEqualTo("Restarting (upstream unreachable?)");
        assertThat(tree.at("/drift/0/kind").asText()).as("drift kind").isEqualTo("RESTARTING");
        assertThat(tree.at("/projectNetwork/actualCidr").asText()).as("actual cidr").isEqualTo("10.125.125.0/24");
    }

    @Test
    void aBuildOrCacheRunningWithoutItsPlannedHostPortIsDriftWithTheFixThatPublishesIt() {
        RegistryStatusReport report = new StatusFixture().unpublished(BUILD).label(BUILD, Labels.HOST_PORT, null)
                .unpublished(CACHE).report();
        assertThat(report.drift()).as("drift")
                .extracting(RegistryStatusReport.Drift::kind, RegistryStatusReport.Drift::container,
                        RegistryStatusReport.Drift::fix)
                .containsExactly(
                        tuple(DriftKind.HOST_PORT_MISSING, BUILD, "lo registry up lok8s.dev (recreates it with the port"
                                + " on the same volume; its images stay)"),
                        // labelled with its port but not bound: up would see nothing to change, so it goes first
                        tuple(DriftKind.HOST_PORT_MISSING, CACHE, "docker rm -f " + CACHE + " && lo registry up"
                                + " lok8s.dev (its volume and images stay)"));
        assertThat(report.drift().getFirst().message()).isEqualTo(BUILD + " runs without its host port"
                + " 127.0.0.1:21251: docker push localhost:21251 does not reach it");
        assertThat(registry(report, BUILD).pushAddress()).as("where it should be").isEqualTo("localhost:21251");
    }

    @Test
    void aStoppedRegistryOrOnePublishedAsPlannedHasNoHostPortDrift() {
        assertThat(new StatusFixture().report().drift()).isEmpty();
        assertThat(new StatusFixture().unpublished(BUILD).state(BUILD, "exited").report().drift())
                .as("stopped: it is the registry finding, not the port").isEmpty();
    }
}
