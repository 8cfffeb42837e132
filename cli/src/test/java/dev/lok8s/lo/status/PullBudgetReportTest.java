package dev.lok8s.lo.status;

import dev.lok8s.lo.cache.UsageReport;
import dev.lok8s.lo.plan.Role;
import dev.lok8s.lo.plan.Scope;
import dev.lok8s.lo.upstream.PullBudget;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Budgets join the status and usage reports by container, mirrors only; the JSON names every figure. */
class PullBudgetReportTest {

    static final PullBudget LOW = PullBudget.fromHeaders(Optional.of("100;w=21600"), Optional.of("3;w=21600"), null)
            .from("registry-1.docker.io");

    @Test
    void statusReportsTakeEachMirrorsBudget() {
        RegistryStatusReport report = new StatusFixture().report();
        String mirror = report.all().stream().filter(r -> r.upstream() != null).findFirst().orElseThrow().container();
        RegistryStatusReport with = report.withPullBudgets(Map.of(mirror, LOW));
        assertThat(with.all()).filteredOn(r -> r.container().equals(mirror)).extracting(RegistryStatusReport.RegistryStatus::pullBudget)
                .containsExactly(LOW);
        assertThat(with.all()).filteredOn(r -> !r.container().equals(mirror))
                .extracting(RegistryStatusReport.RegistryStatus::pullBudget).containsOnlyNulls();
        assertThat(report.withPullBudgets(Map.of())).isSameAs(report);
    }

    @Test
    void usageReportsTakeEachMirrorsBudgetAndTheJsonNamesItsFigures() throws Exception {
        UsageReport report = new UsageReport("p", "p.dev", List.of(
                new UsageReport.RegistryUsage("io-docker", Role.MIRROR, Scope.SHARED, "p-registry-io-docker", "10.0.0.2",
                        "http://10.0.0.2/v2/_catalog", "running", "v", 1L, 0, 0, false, null, null, List.of("p"), null)),
                1);
        UsageReport with = report.withPullBudgets(Map.of("p-registry-io-docker", LOW));
        String json = new com.fasterxml.jackson.databind.ObjectMapper().findAndRegisterModules()
                .writeValueAsString(with.registries().getFirst().pullBudget());
        assertThat(json).isEqualTo("{\"state\":\"reported\",\"limit\":100,\"remaining\":3,\"windowSeconds\":21600,"
                + "\"low\":true,\"upstream\":\"registry-1.docker.io\",\"warning\":{\"message\":\"3 of 100 pulls left at"
                + " the upstream (per 6h), below 10 % of its limit\",\"fix\":\"docker login (a logged-in account gets a"
                + " larger budget), then lo registry up; or wait for the upstream's 6h window to pass\"}}");
    }
}
