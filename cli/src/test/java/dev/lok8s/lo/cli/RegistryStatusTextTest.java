package dev.lok8s.lo.cli;

import dev.lok8s.lo.plan.Role;
import dev.lok8s.lo.status.DoctorReport;
import dev.lok8s.lo.status.RegistryStatusReport;
import dev.lok8s.lo.status.RegistryStatusReport.NetworkStatus;
import dev.lok8s.lo.status.RegistryStatusReport.RegistryStatus;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The text of lo registry status and lo doctor, from given reports. */
class RegistryStatusTextTest {

    private static RegistryStatus registry(String name, String role, String container, String ip, String state,
                                           String display, Boolean reachable, List<String> usedBy) {
        return new RegistryStatus(name, Role.ofLabel(role), container, "net", ip, ip, state, display, reachable, null,
                "http://" + ip + "/v2/_catalog", null, usedBy, "running");
    }

    private static final RegistryStatusReport REPORT = new RegistryStatusReport("lok8s", "lok8s.dev", 125, false,
            new NetworkStatus("lok8s-registries", "10.125.200.0/24", "10.125.200.0/24", true),
            new NetworkStatus("lok8s", "10.125.125.0/24", "10.125.125.0/24", true),
            List.of(registry("io-docker", "mirror", "lok8s-registry-io-docker", "10.125.200.2", "running", "Running",
                            true, List.of("lok8s", "shop")),
                    registry("io-quay", "mirror", "lok8s-registry-io-quay", "10.125.200.3", "restarting",
                            "Restarting (upstream unreachable?)", null, List.of("lok8s"))),
            List.of(registry("build", "build", "lok8s-registry-build", "10.125.125.101", "running", "Running", true,
                            List.of()),
                    registry("cache", "cache", "lok8s-registry-cache", "10.125.125.102", "exited", "Stopped", null,
                            List.of())),
            List.of(new RegistryStatusReport.Drift(RegistryStatusReport.DriftKind.RESTARTING, "lok8s-registry-io-quay",
                    "mirror lok8s-registry-io-quay keeps restarting", "docker logs lok8s-registry-io-quay")));

    @Test
    void followsTheDocumentsLayoutThenAddsReachabilityUrlAndUsers() {
        String text = RegistryStatusText.render(REPORT);
        assertThat(text.lines().toList()).as("lines").containsExactly(
                "Shared mirrors (lok8s-registries network):",
                "  lok8s-registry-io-docker   10.125.200.2   Running                             reachable    "
                        + "http://10.125.200.2/v2/_catalog  used by: lok8s, shop",
                "  lok8s-registry-io-quay     10.125.200.3   Restarting (upstream unreachable?)  -            "
                        + "http://10.125.200.3/v2/_catalog  used by: lok8s",
                "Per-project registries (lok8s network, slot 125):",
                "  lok8s-registry-build       10.125.125.101 Running                             reachable    "
                        + "http://10.125.125.101/v2/_catalog",
                "  lok8s-registry-cache       10.125.125.102 Stopped                             -            "
                        + "http://10.125.125.102/v2/_catalog",
                "Drift:",
                "  mirror lok8s-registry-io-quay keeps restarting",
                "    fix: docker logs lok8s-registry-io-quay");
    }

    @Test
    void omitsTheSharedSectionWithoutASharedNetwork() {
        RegistryStatusReport nonShared = new RegistryStatusReport("p", "50.lok8s.dev", 50, false, null,
                new NetworkStatus("p", "10.125.50.0/24", null, false), List.of(), REPORT.projectRegistries(), List.of());
        assertThat(RegistryStatusText.render(nonShared)).as("text").doesNotContain("Shared mirrors")
                .startsWith("Per-project registries (p network, slot 50):\n");
    }

    @Test
    void printsEachDoctorFindingAndItsFix() {
        DoctorReport sick = new DoctorReport("lok8s", "lok8s.dev", List.of(new DoctorReport.Finding("node-networks",
                "kind node n is not connected to network 'lok8s-registries'",
                "docker network connect lok8s-registries n")));
        assertThat(RegistryStatusText.render(sick)).as("text").isEqualTo(
                "error: kind node n is not connected to network 'lok8s-registries'\n"
                        + "  fix: docker network connect lok8s-registries n\n");
        assertThat(RegistryStatusText.render(new DoctorReport("lok8s", "lok8s.dev", List.of()))).as("healthy")
                .isEqualTo("ok: lok8s (lok8s.dev) looks healthy\n");
    }

    @Test
    void aPushAddressThatDoesNotReachTheRegistryIsMarkedNotPublished() {
        RegistryStatus build = new RegistryStatus("build", Role.BUILD, "lok8s-registry-build", "net", "10.125.125.101",
                "10.125.125.101", "running", "Running", true, null, "http://10.125.125.101/v2/_catalog", null,
                List.of(), "running", "localhost:21251");
        RegistryStatus cache = new RegistryStatus("cache", Role.CACHE, "lok8s-registry-cache", "net", "10.125.125.102",
                "10.125.125.102", "running", "Running", true, null, "http://10.125.125.102/v2/_catalog", null,
                List.of(), "running", "localhost:21252");
        RegistryStatusReport report = new RegistryStatusReport("p", "p.dev", 125, false, null,
                new NetworkStatus("lok8s", "10.125.125.0/24", "10.125.125.0/24", true), List.of(), List.of(build, cache),
                List.of(new RegistryStatusReport.Drift(RegistryStatusReport.DriftKind.HOST_PORT_MISSING,
                        "lok8s-registry-build", "lok8s-registry-build runs without its host port 127.0.0.1:21251",
                        "lo registry up p.dev")));
        assertThat(RegistryStatusText.render(report).lines().toList()).as("lines")
                .anyMatch(l -> l.startsWith("  lok8s-registry-build")
                        && l.endsWith("push: localhost:21251 (not published: see drift)"))
                .anyMatch(l -> l.startsWith("  lok8s-registry-cache") && l.endsWith("push: localhost:21252"));
    }
}
