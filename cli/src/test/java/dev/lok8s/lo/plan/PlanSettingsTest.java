package dev.lok8s.lo.plan;

import dev.lok8s.lo.spec.SpecBuilder;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class PlanSettingsTest {

    private static final PlanSettings TEST_SETTINGS = new PlanSettings("t42-",
            Map.of("dev.lok8s.test", "t42"), SpecBuilder.PROJECT_DIR);

    @Test
    void prefixesOnlyNamesThePlanInvents() {
        RegistryPlan plan = Planner.plan(SpecBuilder.defaultCluster().spec(), TEST_SETTINGS);
        assertThat(plan.projectNetwork().name()).as("project network is named by the spec").isEqualTo("lok8s");
        assertThat(plan.sharedNetwork().name()).as("shared network is named by the spec")
                .isEqualTo("lok8s-registries");
        assertThat(plan.build().container()).as("build container derives from the spec's network")
                .isEqualTo("lok8s-registry-build");
        assertThat(plan.registry("io-docker").container()).as("shared mirror container is prefixed")
                .isEqualTo("t42-lok8s-registry-io-docker");
        assertThat(plan.registries()).as("every volume is prefixed").extracting(PlannedRegistry::volume)
                .containsExactly("t42-lok8s-registry-build-data", "t42-lok8s-registry-cache-data",
                        "t42-lok8s-registry-io-docker-data", "t42-lok8s-registry-io-quay-data",
                        "t42-lok8s-registry-io-k8s-data", "t42-lok8s-registry-io-ghcr-data");
        assertThat(plan.step("registry:t42-lok8s-registry-io-docker").target()).as("step follows the name")
                .isEqualTo("t42-lok8s-registry-io-docker");
    }

    @Test
    void addsExtraLabelsToEveryResource() {
        RegistryPlan plan = Planner.plan(SpecBuilder.defaultCluster().spec(), TEST_SETTINGS);
        assertThat(plan.networks()).as("networks carry the test label")
                .allSatisfy(n -> assertThat(n.labels()).containsEntry("dev.lok8s.test", "t42"));
        assertThat(plan.registries()).as("containers carry the test label")
                .allSatisfy(r -> assertThat(r.labels()).containsEntry("dev.lok8s.test", "t42"));
        assertThat(plan.volumes().values()).as("volumes carry the test label")
                .allSatisfy(labels -> assertThat(labels).containsEntry("dev.lok8s.test", "t42"));
    }

    @Test
    void defaultsAndValidation() {
        PlanSettings defaults = new PlanSettings(null, null, SpecBuilder.PROJECT_DIR);
        assertThat(defaults.namePrefix()).as("default prefix").isEmpty();
        assertThat(defaults.extraLabels()).as("default extra labels").isEmpty();
        assertThatIllegalArgumentException().as("relative project dir")
                .isThrownBy(() -> PlanSettings.of(Path.of("clusters/lok8s.dev")));
        assertThatIllegalArgumentException().as("overriding a reserved label")
                .isThrownBy(() -> new PlanSettings("", Map.of(Labels.PROJECT, "x"), SpecBuilder.PROJECT_DIR));
    }
}
