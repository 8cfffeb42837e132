package dev.lok8s.lo.reconcile;

import dev.lok8s.lo.engine.ContainerInfo;
import dev.lok8s.lo.engine.PublishedPort;
import dev.lok8s.lo.failure.Reason;
import dev.lok8s.lo.plan.HostPortRule;
import dev.lok8s.lo.plan.Labels;
import dev.lok8s.lo.plan.PlannedRegistry;
import dev.lok8s.lo.plan.RegistryPlan;
import dev.lok8s.lo.spec.SpecBuilder;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Given the engine's containers and the ports that cannot be bound, which host ports a run is refused for. */
class HostPortRulesTest {

    static final RegistryPlan PLAN = RulesFixture.SHARED;
    static final PlannedRegistry BUILD = PLAN.build();

    static ContainerInfo own(PlannedRegistry r, String state) {
        return new ContainerInfo("id", r.container(), RulesFixture.IMAGE, state, r.labels(), Map.of(r.network(), r.ip()),
                "running".equals(state) ? List.of(new PublishedPort("127.0.0.1", r.hostPort(), 80)) : List.of());
    }

    static ContainerInfo otherProjectsBuild(int port, String state) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(Labels.MANAGED_BY, Labels.MANAGED_BY_LO);
        labels.put(Labels.PROJECT, "other");
        labels.put(Labels.HOST_PORT, Integer.toString(port));
        return new ContainerInfo("id2", "other-registry-build", RulesFixture.IMAGE, state, labels, Map.of(),
                "running".equals(state) ? List.of(new PublishedPort("127.0.0.1", port, 80)) : List.of());
    }

    @Test
    void freePortsAndTheProjectsOwnRunningRegistriesAreNoConflict() {
        assertThat(HostPortRules.conflicts(PLAN, List.of(), Set.of())).as("nothing there").isEmpty();
        assertThat(HostPortRules.conflicts(PLAN, List.of(own(BUILD, "running"), own(PLAN.cache(), "running")),
                Set.of(21251, 21252))).as("its own registries hold them (docker-proxy binds them)").isEmpty();
    }

    @Test
    void anotherLoProjectsRegistryHoldsThePortRunningOrStopped() {
        List<Reason> running = HostPortRules.conflicts(PLAN, List.of(otherProjectsBuild(21251, "running")),
                Set.of(21251));
        assertThat(running).hasSize(1);
        assertThat(running.getFirst().message()).isEqualTo("host port 127.0.0.1:21251 for build of project lok8s is "
                + "taken by container 'other-registry-build' of lo project 'other'");
        assertThat(running.getFirst().fix()).contains("spec.registries.build.hostPort", "free 21251");

        List<Reason> stopped = HostPortRules.conflicts(PLAN, List.of(otherProjectsBuild(21252, "exited")), Set.of());
        assertThat(stopped).as("a stopped registry takes its port back when started").hasSize(1);
        assertThat(stopped.getFirst().message()).contains("127.0.0.1:21252 for cache",
                "'other-registry-build' of lo project 'other' (exited)");
    }

    @Test
    void aContainerLoDidNotCreateThatPublishesThePortOnEveryInterfaceHoldsIt() {
        ContainerInfo web = new ContainerInfo("id3", "web", "nginx", "running", Map.of(), Map.of(),
                List.of(new PublishedPort("0.0.0.0", 21251, 8080)));
        List<Reason> refused = HostPortRules.conflicts(PLAN, List.of(web), Set.of(21251));
        assertThat(refused).singleElement().extracting(Reason::message).asString()
                .contains("127.0.0.1:21251", "container 'web'");
        ContainerInfo elsewhere = new ContainerInfo("id4", "web", "nginx", "running", Map.of(), Map.of(),
                List.of(new PublishedPort("192.168.1.5", 21251, 8080)));
        assertThat(HostPortRules.conflicts(PLAN, List.of(elsewhere), Set.of()))
                .as("published on another address only, and 127.0.0.1 binds").isEmpty();
    }

    @Test
    void aPortNothingInDockerPublishesButThatCannotBeBoundIsAnotherProcesss() {
        List<Reason> refused = HostPortRules.conflicts(PLAN, List.of(), Set.of(21252));
        assertThat(refused).singleElement().extracting(Reason::message).asString()
                .contains("127.0.0.1:21252 for cache", "another process");
        assertThat(HostPortRules.conflicts(PLAN, List.of(own(BUILD, "created")), Set.of(21251)))
                .as("its own registry is being started (Docker binds the port before it reports running)").isEmpty();
        assertThat(HostPortRules.conflicts(PLAN, List.of(own(BUILD, "exited")), Set.of(21251)))
                .as("its own registry is stopped, so something else holds the port").hasSize(1);
    }

    @Test
    void buildAndCacheOnOnePortAreRefused() {
        RegistryPlan twins = SpecBuilder.defaultCluster().hostPorts(21252, null).plan();
        assertThat(HostPortRules.conflicts(twins, List.of(), Set.of())).singleElement()
                .extracting(Reason::message).asString()
                .isEqualTo("host port 21252 is planned for both build and cache of project lok8s");
    }

    @Test
    void withoutHostPortsThereIsNothingToCheck() {
        RegistryPlan off = SpecBuilder.defaultCluster().plan(HostPortRule.OFF);
        assertThat(HostPortRules.planned(off)).isEmpty();
        assertThat(HostPortRules.conflicts(off, List.of(otherProjectsBuild(21251, "running")), Set.of(21251)))
                .isEmpty();
        assertThat(HostPortRules.planned(PLAN)).containsExactly(Map.entry(BUILD.container(), 21251),
                Map.entry(PLAN.cache().container(), 21252));
    }
}
