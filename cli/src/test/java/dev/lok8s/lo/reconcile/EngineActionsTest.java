package dev.lok8s.lo.reconcile;

import dev.lok8s.lo.plan.Scope;
import dev.lok8s.lo.containerd.CertsDirWriter;
import dev.lok8s.lo.engine.NetworkInfo;
import dev.lok8s.lo.events.LoEvent;
import dev.lok8s.lo.events.NetworkAdopted;
import dev.lok8s.lo.events.RunCompleted;
import dev.lok8s.lo.events.StepCompleted;
import dev.lok8s.lo.events.StepOutcome;
import dev.lok8s.lo.kind.KindExecutable;
import dev.lok8s.lo.observe.MachineObserver;
import dev.lok8s.lo.plan.PlannedStep;
import dev.lok8s.lo.plan.RegistriesOnly;
import dev.lok8s.lo.plan.RegistryPlan;
import dev.lok8s.lo.plan.StepKind;
import dev.lok8s.lo.run.EventSink;
import dev.lok8s.lo.run.KnownStateFold;
import dev.lok8s.lo.run.ProgressListener;
import dev.lok8s.lo.registry.RegistryProbe;
import dev.lok8s.lo.run.RunOutcome;
import dev.lok8s.lo.run.StepExecutor;
import dev.lok8s.lo.events.ClusterRegistriesPublished;
import dev.lok8s.lo.events.EventSummary;
import dev.lok8s.lo.kube.ClusterRegistries;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The act part against an in-memory engine: a registry up (networks, image, registries, certs.d;
 * not verify, which would send traffic to the planned addresses) from an empty machine, then again
 * with everything in place.
 */
class EngineActionsTest {

    @TempDir
    Path dir;

    final FakeEngine engine = new FakeEngine();
    final List<Append> appends = new ArrayList<>();
    /** The project and network streams across runs: what the log knows. */
    final List<LoEvent> log = new ArrayList<>();

    record Append(String stream, List<LoEvent> events) {
    }

    RegistryPlan plan() {
        return RegistriesOnly.of(RulesFixture.plan(true, false, dir.resolve("clusters/lok8s.dev")));
    }

    List<PlannedStep> stepsWithoutVerify(RegistryPlan plan) {
        return plan.steps().stream().filter(s -> s.kind() != StepKind.VERIFY).toList();
    }

    RunOutcome run(RegistryPlan plan, int parallelism) {
        return run(plan, parallelism, stepsWithoutVerify(plan), new KindExecutable("/nonexistent/kind", Map.of(), 1));
    }

    RunOutcome run(RegistryPlan plan, int parallelism, List<PlannedStep> planned, KindExecutable kind) {
        var rules = new ProvisionRules(plan, KnownStateFold.fold(plan.project(), log), null, Instant.EPOCH);
        var machine = new RunSnapshot(() -> new MachineObserver(engine).observe(plan));
        var actions = new EngineActions(plan, rules.upstreams(), machine, engine, kind, new CertsDirWriter(),
                new RegistryProbe(Duration.ZERO, Duration.ZERO), null, line -> { });
        var steps = new ProvisionSteps(rules, machine, actions);
        EventSink sink = (stream, events) -> {
            appends.add(new Append(stream, List.copyOf(events)));
            if (!stream.startsWith("run-")) {
                log.addAll(events);
            }
        };
        return new StepExecutor(sink, parallelism).execute(UUID.randomUUID(), plan.domain(), plan.project(),
                planned, steps, java.util.Set.of(), ProgressListener.SILENT);
    }

    /**
     * The cluster's ConfigMaps are already as planned (an earlier run wrote them, but the log does not hold
     * its record: it was interrupted before recording, or the store is new): the step reads them, writes
     * nothing and says so, {@code unchanged}, not {@code adopted}; it records the data it found so the next
     * run does not ask the API server again, and that run records nothing but its unchanged step.
     */
    @Test
    void registryConfigMapsFoundAsPlannedAreUnchangedNotAdopted() throws Exception {
        RegistryPlan plan = RulesFixture.plan(true, false, dir.resolve("clusters/lok8s.dev"));
        KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(), false);
        server.init(InetAddress.getLoopbackAddress(), 0);
        try (KubernetesClient client = server.createClient()) {
            ClusterRegistries.ensure(plan, client);  // what the earlier run wrote
            Path kind = dir.resolve("kind");
            Files.writeString(kind, """
                    #!/bin/sh
                    cat <<'EOF'
                    apiVersion: v1
                    kind: Config
                    clusters:
                    - cluster:
                        server: %s
                      name: kind-lok8s
                    contexts:
                    - context:
                        cluster: kind-lok8s
                        user: kind-lok8s
                      name: kind-lok8s
                    current-context: kind-lok8s
                    users:
                    - name: kind-lok8s
                      user: {}
                    EOF
                    """.formatted(server.url("/").replaceAll("/$", "")));
            Files.setPosixFilePermissions(kind, PosixFilePermissions.fromString("rwx------"));
            List<PlannedStep> discovery = plan.steps().stream().filter(s -> s.kind() == StepKind.REGISTRY_DISCOVERY)
                    .map(s -> new PlannedStep(s.id(), s.kind(), s.target(), List.of())).toList();
            String step = discovery.getFirst().id();

            RunOutcome first = run(plan, 1, discovery, new KindExecutable(kind.toString(), Map.of(), 10));
            assertThat(first.completed()).as("%s", first.error()).isTrue();
            assertThat(first.steps()).as("found as planned").containsEntry(step, StepOutcome.unchanged);
            List<LoEvent> recorded = appends.stream().flatMap(a -> a.events().stream()).toList();
            assertThat(recorded).filteredOn(StepCompleted.class::isInstance)
                    .extracting(e -> ((StepCompleted) e).outcome()).containsExactly(StepOutcome.unchanged);
            assertThat(recorded).filteredOn(ClusterRegistriesPublished.class::isInstance).singleElement()
                    .satisfies(e -> {
                        assertThat(((ClusterRegistriesPublished) e).configMaps()).as("nothing written").isEmpty();
                        assertThat(EventSummary.of(e)).contains("up to date");
                    });

            appends.clear();
            RunOutcome again = run(plan, 1, discovery, new KindExecutable("/nonexistent/kind", Map.of(), 1));
            assertThat(again.steps()).containsEntry(step, StepOutcome.unchanged);
            assertThat(appends.stream().flatMap(a -> a.events().stream()))
                    .as("the re-run records only its steps and its end").allMatch(e -> e instanceof StepCompleted
                            || e instanceof RunCompleted);
        } finally {
            server.destroy();
        }
    }

    @Test
    void aRunWhereEverythingIsInPlaceMakesNoMutatingCallAndCommitsOnce() {
        RegistryPlan plan = plan();
        engine.images.add(plan.image());
        RunOutcome first = run(plan, 4);
        assertThat(first.completed()).as("first run: %s", first.error()).isTrue();
        assertThat(engine.mutatingCalls()).as("the first run created the resources")
                .contains("createNetwork lok8s", "createNetwork lok8s-registries",
                        "runContainer " + plan.build().container(), "createVolume " + plan.build().volume());

        engine.calls.clear();
        appends.clear();
        RunOutcome again = run(plan, 4);
        assertThat(again.completed()).isTrue();
        assertThat(engine.mutatingCalls()).as("no mutating Docker call when everything is in place").isEmpty();
        assertThat(engine.calls).as("one list call each, no inspect per resource")
                .containsExactlyInAnyOrder("listContainers {}", "listNetworks", "listVolumes {}",
                        "listVolumes {dev.lok8s.managed-by=lo}", "imagePresent " + plan.image());
        assertThat(appends).as("one append: every StepCompleted and RunCompleted together").hasSize(1);
        List<LoEvent> batch = appends.getFirst().events();
        assertThat(batch.stream().filter(StepCompleted.class::isInstance).map(e -> ((StepCompleted) e).outcome()))
                .hasSize(stepsWithoutVerify(plan).size()).containsOnly(StepOutcome.unchanged);
        assertThat(batch.getLast()).isInstanceOf(RunCompleted.class);
    }

    @Test
    void aChangingStepCommitsTheWaitingStepCompletedEventsBeforeItActs() {
        RegistryPlan plan = plan();
        engine.images.add(plan.image());
        RunOutcome outcome = run(plan, 1);
        assertThat(outcome.completed()).isTrue();
        // check-subnets (nothing to do) waits; network:lok8s (creates) commits it first, then its own events.
        assertThat(appends.get(0).events()).singleElement()
                .satisfies(e -> assertThat(((StepCompleted) e).stepId()).isEqualTo("check-subnets"));
        assertThat(appends.get(1).stream()).isEqualTo("project-lok8s");
        assertThat(appends.get(2).events()).singleElement()
                .satisfies(e -> assertThat(((StepCompleted) e).stepId()).isEqualTo("network:lok8s"));
    }

    @Test
    void aNetworkAnotherRunCreatesMeanwhileIsAdopted() {
        RegistryPlan plan = plan();
        engine.images.add(plan.image());
        engine.createdConcurrently = new NetworkInfo("id-x", "lok8s-registries", "10.125.200.0/24",
                Map.of("dev.lok8s.managed-by", "lo"), Map.of());
        RunOutcome outcome = run(plan, 1);
        assertThat(outcome.completed()).as("%s", outcome.error()).isTrue();
        assertThat(outcome.steps()).containsEntry("network:lok8s-registries", StepOutcome.adopted);
        assertThat(appends.stream().flatMap(a -> a.events().stream()))
                .contains(new NetworkAdopted("lok8s.dev", "lok8s", "lok8s-registries", "10.125.200.0/24",
                        dev.lok8s.lo.plan.Scope.SHARED));
        assertThat(engine.mutatingCalls().stream().filter(c -> c.startsWith("createNetwork lok8s-registries")))
                .as("tried once, then adopted").hasSize(1);
    }

    @Test
    void aNetworkAnotherRunIsStillCreatingIsAdoptedOnceItIsListed() {
        RegistryPlan plan = plan();
        engine.images.add(plan.image());
        engine.createdConcurrently = new NetworkInfo("id-x", "lok8s-registries", "10.125.200.0/24",
                Map.of("dev.lok8s.managed-by", "lo"), Map.of());
        // Docker answers "pool overlaps" before the winner's network can be listed.
        engine.concurrentNetworkHiddenLooks = 3;
        RunOutcome outcome = run(plan, 1);
        assertThat(outcome.completed()).as("%s", outcome.error()).isTrue();
        assertThat(outcome.steps()).containsEntry("network:lok8s-registries", StepOutcome.adopted);
        assertThat(engine.mutatingCalls().stream().filter(c -> c.startsWith("createNetwork lok8s-registries")))
                .as("tried once, then adopted").hasSize(1);
    }

    @Test
    void aRegistryAnotherRunStartsMeanwhileAsPlannedIsAdopted() {
        RegistryPlan plan = plan();
        engine.images.add(plan.image());
        var mirror = plan.registry("io-docker");
        engine.containerCreatedConcurrently = new dev.lok8s.lo.engine.ContainerInfo("id-x", mirror.container(),
                plan.image(), "running", mirror.labels(), Map.of(mirror.network(), mirror.ip()));
        RunOutcome outcome = run(plan, 1);
        assertThat(outcome.completed()).as("%s", outcome.error()).isTrue();
        assertThat(engine.mutatingCalls().stream().filter(c -> c.equals("runContainer " + mirror.container())))
                .as("tried once, then adopted").hasSize(1);
    }

    @Test
    void aRegistryAnotherRunIsStillCreatingIsAdoptedOnceItIsListed() {
        RegistryPlan plan = plan();
        engine.images.add(plan.image());
        var mirror = plan.registry("io-docker");
        engine.containerCreatedConcurrently = new dev.lok8s.lo.engine.ContainerInfo("id-x", mirror.container(),
                plan.image(), "running", mirror.labels(), Map.of(mirror.network(), mirror.ip()));
        // Docker answers "name in use" before the winner's container can be inspected.
        engine.concurrentContainerHiddenLooks = 3;
        RunOutcome outcome = run(plan, 1);
        assertThat(outcome.completed()).as("%s", outcome.error()).isTrue();
        assertThat(engine.mutatingCalls().stream().filter(c -> c.equals("runContainer " + mirror.container())))
                .as("tried once, then adopted").hasSize(1);
    }

    @Test
    void aRegistryAnotherRunStartsMeanwhileOnAnotherImageRefusesTheRun() {
        RegistryPlan plan = plan();
        engine.images.add(plan.image());
        var mirror = plan.registry("io-docker");
        engine.containerCreatedConcurrently = new dev.lok8s.lo.engine.ContainerInfo("id-x", mirror.container(),
                "registry:2.7", "running", mirror.labels(), Map.of(mirror.network(), mirror.ip()));
        RunOutcome outcome = run(plan, 1);
        assertThat(outcome.failure()).as("%s", outcome.error()).isEqualTo(RunOutcome.Failure.REFUSED);
        assertThat(outcome.failedStep()).isEqualTo("registry:" + mirror.container());
        assertThat(outcome.error()).isEqualTo("container " + mirror.container() + " exists");
    }

    @Test
    void aRefusalStopsTheRunBeforeItChangesAnything() {
        RegistryPlan plan = plan();
        engine.images.add(plan.image());
        engine.networks.put("lok8s-registries", new NetworkInfo("id-y", "lok8s-registries", "10.0.0.0/24", Map.of(),
                Map.of()));
        RunOutcome outcome = run(plan, 4);
        assertThat(outcome.failure()).isEqualTo(RunOutcome.Failure.REFUSED);
        assertThat(outcome.failedStep()).isEqualTo("check-subnets");
        assertThat(engine.mutatingCalls()).isEmpty();
    }

    @Test
    void anEngineThatDoesNotAnswerFailsTheFirstStepAndTheRunRecordsIt() {
        RegistryPlan plan = plan();
        engine.unreachable = true;
        RunOutcome outcome = run(plan, 4);
        assertThat(outcome.failure()).isEqualTo(RunOutcome.Failure.ENGINE_UNAVAILABLE);
        assertThat(outcome.failedStep()).isEqualTo("check-subnets");
        assertThat(appends.getLast().events().getLast()).as("recorded as failed, not left interrupted")
                .isInstanceOf(dev.lok8s.lo.events.RunFailed.class);
    }
}
