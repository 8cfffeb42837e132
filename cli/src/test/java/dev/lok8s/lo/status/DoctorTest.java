package dev.lok8s.lo.status;

import dev.lok8s.lo.plan.Labels;
import dev.lok8s.lo.status.DoctorReport.Finding;
import org.junit.jupiter.api.Test;

import static dev.lok8s.lo.status.StatusFixture.BUILD;
import static dev.lok8s.lo.status.StatusFixture.CACHE;
import static dev.lok8s.lo.status.StatusFixture.DOCKER_MIRROR;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** The documentation's troubleshooting checks, from given observations. */
class DoctorTest {

    @Test
    void findsNothingWhenAllIsWell() {
        DoctorReport report = new StatusFixture().doctor();
        assertThat(report.healthy()).as("healthy: %s", report.findings()).isTrue();
    }

    @Test
    void reportsTheSharedSubnetMismatchInTheDocumentsWords() {
        DoctorReport report = new StatusFixture().subnet("lok8s-registries", "10.0.0.0/24").doctor();
        assertThat(report.findings()).as("findings").extracting(Finding::message, Finding::fix).contains(tuple(
                "registry network 'lok8s-registries' exists with subnet 10.0.0.0/24, expected 10.125.200.0/24",
                "lo registry clean --shared && lo provision lok8s.dev"));
    }

    @Test
    void aSubnetWrittenDifferentlyIsTheSameSubnetNotAMismatch() {
        // the engine may answer with a host address in the subnet's text: compared as CIDRs, as provision does
        DoctorReport report = new StatusFixture().subnet("lok8s-registries", "10.125.200.7/24")
                .subnet("lok8s", "10.125.125.1/24").doctor();
        assertThat(report.findings()).as("findings").extracting(Finding::check).doesNotContain("subnet");
    }

    @Test
    void reportsBothSubnetMismatchesTheSharedNetworkFirst() {
        DoctorReport report = new StatusFixture().subnet("lok8s-registries", "10.0.0.0/24")
                .subnet("lok8s", "10.125.50.0/24").doctor();
        assertThat(report.findings()).as("findings").filteredOn(f -> f.check().equals("subnet"))
                .extracting(Finding::message).containsExactly(
                        "registry network 'lok8s-registries' exists with subnet 10.0.0.0/24, expected 10.125.200.0/24",
                        "project network 'lok8s' exists with subnet 10.125.50.0/24, expected 10.125.125.0/24");
    }

    @Test
    void reportsAProjectSubnetMismatch() {
        DoctorReport report = new StatusFixture().subnet("lok8s", "10.125.50.0/24").doctor();
        assertThat(report.findings()).as("findings").extracting(Finding::message).contains(
                "project network 'lok8s' exists with subnet 10.125.50.0/24, expected 10.125.125.0/24");
    }

    @Test
    void reportsANodeMissingTheSharedNetworkWithTheExactConnectCommand() {
        DoctorReport report = new StatusFixture().nodeOff("lok8s-control-plane", "lok8s-registries").doctor();
        assertThat(report.findings()).as("findings").extracting(Finding::message, Finding::fix).containsExactly(tuple(
                "kind node lok8s-control-plane is not connected to network 'lok8s-registries'",
                "docker network connect lok8s-registries lok8s-control-plane"));
    }

    @Test
    void reportsBuildOffDotOneHundredOneWithTheDocumentedFix() {
        DoctorReport report = new StatusFixture().address(BUILD, "lok8s", "10.125.125.7").doctor();
        assertThat(report.findings()).as("findings").singleElement().satisfies(f -> {
            assertThat(f.message()).as("message").contains(BUILD, "10.125.125.7", "expected 10.125.125.101");
            assertThat(f.fix()).as("fix").isEqualTo("lo registry clean && lo provision lok8s.dev");
        });
    }

    @Test
    void reportsStoppedAndSilentRegistries() {
        DoctorReport report = new StatusFixture().state(BUILD, "exited").unreachable(CACHE, "HTTP 503")
                .unreachable(DOCKER_MIRROR, "ConnectException").doctor();
        assertThat(report.findings()).as("findings").extracting(Finding::message, Finding::fix).contains(
                tuple("build registry " + BUILD + " is stopped", "lo registry up lok8s.dev"),
                tuple("cache registry " + CACHE + " does not answer on http://10.125.125.102/v2/_catalog "
                        + "(HTTP 503)", "docker logs " + CACHE));
        assertThat(report.findings()).as("mirror finding").anySatisfy(f ->
                assertThat(f.fix()).as("fix").startsWith("check that https://registry-1.docker.io is reachable"));
    }

    @Test
    void includesEveryDriftOfTheStatusReport() {
        DoctorReport report = new StatusFixture().state(DOCKER_MIRROR, "restarting").doctor();
        assertThat(report.findings()).as("findings").extracting(Finding::check, Finding::message).containsExactly(
                tuple("drift", "mirror " + DOCKER_MIRROR + " keeps restarting: its upstream "
                        + "https://registry-1.docker.io does not answer"));
    }

    /** The push address lo prints (localhost:PORT) does not reach a build registry running without its port. */
    @Test
    void reportsABuildRegistryRunningWithoutItsHostPortWithTheFix() {
        DoctorReport report = new StatusFixture().unpublished(BUILD).label(BUILD, Labels.HOST_PORT, null).doctor();
        assertThat(report.healthy()).isFalse();
        assertThat(report.findings()).as("findings").extracting(Finding::check, Finding::message, Finding::fix)
                .containsExactly(tuple("host-port", BUILD + " runs without its host port 127.0.0.1:21251: docker push"
                        + " localhost:21251 does not reach it", "lo registry up lok8s.dev (recreates it with the port on"
                        + " the same volume; its images stay)"));
    }
}
