package dev.lok8s.lo.plan;

import dev.lok8s.lo.spec.SpecBuilder;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The host port rule, the spec's overrides, and what a published port adds to the plan. */
class HostPortPlanTest {

    @Test
    void theSlotGivesBuildAndCacheTheirPortsWithTheSlotReadableInThem() {
        RegistryPlan plan = SpecBuilder.defaultCluster().plan();
        assertThat(plan.build().hostPort()).as("lok8s.dev is slot 125: build").isEqualTo(21251);
        assertThat(plan.cache().hostPort()).as("cache").isEqualTo(21252);
        assertThat(plan.build().pushAddress()).isEqualTo("localhost:21251");
        assertThat(plan.mirrors()).as("mirrors are not published").allSatisfy(m -> {
            assertThat(m.hostPort()).isNull();
            assertThat(m.labels()).doesNotContainKey(Labels.HOST_PORT);
        });
        assertThat(SpecBuilder.slot(7).plan().build().hostPort()).as("slot 7").isEqualTo(20071);
        assertThat(SpecBuilder.slot(199).plan().cache().hostPort()).as("slot 199").isEqualTo(21992);
    }

    @Test
    void noTwoSlotsAndNoBuildAndCacheShareAPortAndNoneIsEphemeralOrANodePort() {
        HostPortRule rule = HostPortRule.DEFAULT;
        Set<Integer> ports = new HashSet<>();
        for (int slot = 0; slot <= 255; slot++) {
            for (Role role : new Role[] {Role.BUILD, Role.CACHE}) {
                int port = rule.port(role, slot, null);
                assertThat(ports.add(port)).as("slot %d %s: %d taken twice", slot, role, port).isTrue();
                assertThat(port).as("slot %d %s", slot, role).isBetween(20001, 22552)
                        .isNotIn(5000, 5001);
            }
        }
        assertThat(ports).as("below Linux's ephemeral ports (32768+) and Kubernetes' NodePorts (30000+)")
                .allSatisfy(p -> assertThat(p).isLessThan(30000));
        assertThat(rule.port(Role.MIRROR, 125, null)).as("mirrors").isNull();
    }

    @Test
    void theSpecsPortsWinAndTheRuleOffPublishesNothing() {
        RegistryPlan given = SpecBuilder.defaultCluster().hostPorts(5005, null).plan();
        assertThat(given.build().hostPort()).as("spec.registries.build.hostPort").isEqualTo(5005);
        assertThat(given.cache().hostPort()).as("cache keeps the slot's").isEqualTo(21252);
        assertThat(given.build().labels()).containsEntry(Labels.HOST_PORT, "5005");

        RegistryPlan off = SpecBuilder.defaultCluster().hostPorts(5005, 5006).plan(HostPortRule.OFF);
        assertThat(off.registries()).as("lo.host-ports=false").allSatisfy(r -> {
            assertThat(r.hostPort()).isNull();
            assertThat(r.labels()).doesNotContainKey(Labels.HOST_PORT);
        });
        assertThat(SpecBuilder.defaultCluster().plan(new HostPortRule(true, 13000)).build().hostPort())
                .as("another base").isEqualTo(14251);
    }

    @Test
    void aBaseThatLeavesNoRoomForEverySlotIsRefused() {
        assertThatThrownBy(() -> new HostPortRule(true, 64000)).hasMessageContaining("lo.host-port-base: 64000");
        assertThatThrownBy(() -> new HostPortRule(true, 80)).hasMessageContaining("lo.host-port-base: 80");
        assertThat(new HostPortRule(true, 1024).base()).isEqualTo(1024);
    }

    @Test
    void theContainerIsLabelledWithItsPortAndTheVolumeIsNot() {
        PlannedRegistry build = SpecBuilder.defaultCluster().plan().build();
        assertThat(build.labels()).containsEntry(Labels.HOST_PORT, "21251");
        assertThat(build.volumeLabels()).as("data outlives the port").doesNotContainKey(Labels.HOST_PORT);
    }

    @Test
    void withTlsTheCertificateAlsoNamesTheLoopbackAddressTheHostPushesTo() {
        assertThat(SpecBuilder.defaultCluster().tls(true).plan().tlsSans())
                .contains("lok8s.local", "lok8s.cache", "localhost", "127.0.0.1");
        assertThat(SpecBuilder.defaultCluster().tls(true).plan(HostPortRule.OFF).tlsSans())
                .as("nothing published: the SANs of earlier versions")
                .doesNotContain("localhost", "127.0.0.1");
    }
}
