package dev.lok8s.lo.projection;

import dev.lok8s.lo.plan.Role;
import dev.lok8s.lo.events.ClusterCreated;
import dev.lok8s.lo.events.ClusterDeleted;
import dev.lok8s.lo.events.EventMetadata;
import dev.lok8s.lo.events.LoEvent;
import dev.lok8s.lo.events.MirrorStarted;
import dev.lok8s.lo.events.NetworkAdopted;
import dev.lok8s.lo.events.NetworkCreated;
import dev.lok8s.lo.events.NetworkRemoved;
import dev.lok8s.lo.plan.Scope;
import dev.lok8s.lo.events.NodeConnected;
import dev.lok8s.lo.events.NodeDisconnected;
import dev.lok8s.lo.events.RegistryRemoved;
import dev.lok8s.lo.events.RegistryStarted;
import dev.lok8s.lo.events.RegistryStopped;
import dev.lok8s.lo.events.RunCompleted;
import dev.lok8s.lo.events.RunFailed;
import dev.lok8s.lo.events.RunRejected;
import dev.lok8s.lo.events.RunStarted;
import dev.lok8s.lo.events.StepCompleted;
import dev.lok8s.lo.events.StepOutcome;
import dev.lok8s.lo.events.SubnetMismatchDetected;
import dev.lok8s.lo.store.EventStore;
import dev.lok8s.lo.store.ExpectedVersion;

import java.util.List;
import java.util.UUID;

/**
 * A realistic history: project a (lok8s.dev, slot 125) creates the shared network and mirrors,
 * project b (50.lok8s.dev, slot 50) adopts them, b's second run fails, a run with another shared
 * cidr is rejected, a is destroyed (cluster, build/cache removed), one mirror is stopped.
 */
public final class ProjectionScenario {

    public static final String SHARED = "lok8s-registries";
    public final UUID runA = UUID.randomUUID();
    public final UUID runB = UUID.randomUUID();
    public final UUID runBFailed = UUID.randomUUID();
    public final UUID runRejected = UUID.randomUUID();
    public final UUID runDestroyA = UUID.randomUUID();

    public void play(EventStore store) {
        run(store, runA, "provision", "lok8s.dev", "a", List.of(
                new NetworkCreated("lok8s.dev", "a", SHARED, "10.125.200.0/24", Scope.SHARED),
                new StepCompleted(runA, "lok8s.dev", "a", "shared-network", StepOutcome.created, 30),
                new NetworkCreated("lok8s.dev", "a", "lok8s", "10.125.125.0/24", Scope.PROJECT),
                new MirrorStarted("lok8s.dev", "a", "lok8s-registry-io-docker", "io-docker", Scope.SHARED, SHARED,
                        "10.125.200.2", "registry:2.8.3", "h1", "https://registry-1.docker.io"),
                new MirrorStarted("lok8s.dev", "a", "lok8s-registry-io-quay", "io-quay", Scope.SHARED, SHARED,
                        "10.125.200.3", "registry:2.8.3", "h2", "https://quay.io"),
                new RegistryStarted("lok8s.dev", "a", "lok8s-registry-build", Role.BUILD, "lok8s", "10.125.125.101",
                        "registry:2.8.3", "h3"),
                new RegistryStarted("lok8s.dev", "a", "lok8s-registry-cache", Role.CACHE, "lok8s", "10.125.125.102",
                        "registry:2.8.3", "h4"),
                new StepCompleted(runA, "lok8s.dev", "a", "registries", StepOutcome.created, 900),
                new ClusterCreated("lok8s.dev", "a", "a", List.of("a-control-plane")),
                new NodeConnected("lok8s.dev", "a", "a-control-plane", SHARED, "10.125.200.10"),
                new RunCompleted(runA, "lok8s.dev", "a", 5000)), true);
        run(store, runB, "provision", "50.lok8s.dev", "b", List.of(
                new NetworkAdopted("50.lok8s.dev", "b", SHARED, "10.125.200.0/24", Scope.SHARED),
                new StepCompleted(runB, "50.lok8s.dev", "b", "shared-network", StepOutcome.unchanged, 3),
                new NetworkCreated("50.lok8s.dev", "b", "lok8s-50", "10.125.50.0/24", Scope.PROJECT),
                new RegistryStarted("50.lok8s.dev", "b", "lok8s-50-registry-build", Role.BUILD, "lok8s-50",
                        "10.125.50.101", "registry:2.8.3", "h5"),
                new ClusterCreated("50.lok8s.dev", "b", "b", List.of("b-control-plane", "b-worker")),
                new NodeConnected("50.lok8s.dev", "b", "b-control-plane", SHARED, "10.125.200.11"),
                new NodeConnected("50.lok8s.dev", "b", "b-worker", SHARED, "10.125.200.12"),
                new RunCompleted(runB, "50.lok8s.dev", "b", 4000)), true);
        run(store, runBFailed, "provision", "50.lok8s.dev", "b", List.of(
                new StepCompleted(runBFailed, "50.lok8s.dev", "b", "shared-network", StepOutcome.unchanged, 2),
                new StepCompleted(runBFailed, "50.lok8s.dev", "b", "registries", StepOutcome.replaced, 300),
                new RunFailed(runBFailed, "50.lok8s.dev", "b", "cluster", "kind create cluster exited 1")), true);
        run(store, runRejected, "provision", "7.lok8s.dev", "c", List.of(
                new SubnetMismatchDetected("7.lok8s.dev", "c", SHARED, "10.125.200.0/24", "10.0.0.0/24", "a"),
                new RunRejected(runRejected, "7.lok8s.dev", "c", "provision",
                        "registry network 'lok8s-registries' exists with subnet 10.125.200.0/24, expected 10.0.0.0/24")),
                false);
        run(store, runDestroyA, "destroy", "lok8s.dev", "a", List.of(
                new NodeDisconnected("lok8s.dev", "a", "a-control-plane", SHARED),
                new ClusterDeleted("lok8s.dev", "a", "a"),
                new RegistryRemoved("lok8s.dev", "a", "lok8s-registry-build"),
                new RegistryRemoved("lok8s.dev", "a", "lok8s-registry-cache"),
                new NetworkRemoved("lok8s.dev", "a", "lok8s", Scope.PROJECT),
                new RegistryStopped("lok8s.dev", "a", "lok8s-registry-io-quay"),
                new RunCompleted(runDestroyA, "lok8s.dev", "a", 800)), true);
    }

    private static void run(EventStore store, UUID run, String command, String domain, String project,
                            List<LoEvent> changes, boolean started) {
        EventMetadata meta = EventMetadata.local(run, "lo " + command + " " + domain, "test");
        if (started) {
            store.append("run-" + run, ExpectedVersion.NO_STREAM,
                    List.of(new RunStarted(run, command, domain, project, "plan", ProcessHandle.current().pid(),
                            EventMetadata.hostName())), meta);
        }
        for (LoEvent e : changes) {
            String stream = switch (e) {
                case RunCompleted r -> "run-" + run;
                case RunFailed r -> "run-" + run;
                case RunRejected r -> "run-" + run;
                case StepCompleted r -> "run-" + run;
                default -> "project-" + project;
            };
            store.append(stream, ExpectedVersion.ANY, List.of(e), meta);
        }
    }
}
