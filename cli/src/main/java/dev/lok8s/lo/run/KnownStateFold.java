package dev.lok8s.lo.run;

import dev.lok8s.lo.reconcile.KnownState;
import dev.lok8s.lo.events.CertIssued;
import dev.lok8s.lo.events.ClusterRegistriesPublished;
import dev.lok8s.lo.events.ImageWarmed;
import dev.lok8s.lo.events.CachePruned;
import dev.lok8s.lo.events.ImagePruned;
import dev.lok8s.lo.events.MirrorLogRead;
import dev.lok8s.lo.events.CertsDirWritten;
import dev.lok8s.lo.events.ClusterCreated;
import dev.lok8s.lo.events.ClusterDeleted;
import dev.lok8s.lo.events.LoEvent;
import dev.lok8s.lo.events.MirrorStarted;
import dev.lok8s.lo.events.NetworkAdopted;
import dev.lok8s.lo.events.NetworkCreated;
import dev.lok8s.lo.events.NetworkRemoved;
import dev.lok8s.lo.events.NodeConnected;
import dev.lok8s.lo.events.NodeDisconnected;
import dev.lok8s.lo.events.RegistryRemoved;
import dev.lok8s.lo.events.RegistryStarted;
import dev.lok8s.lo.events.RegistryStopped;
import dev.lok8s.lo.events.RunCompleted;
import dev.lok8s.lo.events.RunFailed;
import dev.lok8s.lo.events.RunRejected;
import dev.lok8s.lo.events.RunResumed;
import dev.lok8s.lo.events.LeaseTakenOver;
import dev.lok8s.lo.events.RunStarted;
import dev.lok8s.lo.events.StepCompleted;
import dev.lok8s.lo.events.SubnetMismatchDetected;
import dev.lok8s.lo.events.UnrecognizedEvent;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Folds a project's and its shared network's events into what a run needs to know. Pure. */
public final class KnownStateFold {

    private KnownStateFold() {
    }

    public static KnownState fold(String project, List<LoEvent> events) {
        Map<String, Set<String>> users = new HashMap<>();
        Set<String> registries = new HashSet<>();
        Set<String> clusters = new HashSet<>();
        Map<String, String> kinds = new HashMap<>();
        Map<String, String> published = new HashMap<>();
        for (LoEvent event : events) {
            switch (event) {
                case NetworkCreated e -> users.computeIfAbsent(e.network(), k -> new HashSet<>()).add(e.project());
                case NetworkAdopted e -> users.computeIfAbsent(e.network(), k -> new HashSet<>()).add(e.project());
                case NetworkRemoved e -> users.remove(e.network());
                case RegistryStarted e -> registries.add(e.container());
                case MirrorStarted e -> registries.add(e.container());
                case RegistryRemoved e -> registries.remove(e.container());
                case ClusterCreated e -> {
                    clusters.add(e.cluster());
                    published.remove(e.cluster());
                    if (e.kind() != null) {
                        kinds.put(e.cluster(), e.kind());
                    }
                }
                case ClusterDeleted e -> {
                    clusters.remove(e.cluster());
                    kinds.remove(e.cluster());
                    published.remove(e.cluster());
                    // A destroyed project no longer uses the shared network; a new cluster adopts it again.
                    users.values().forEach(projects -> projects.remove(e.project()));
                }
                case RegistryStopped e -> { }
                case RunStarted e -> { }
                case RunResumed e -> { }
                case LeaseTakenOver e -> { }
                case RunCompleted e -> { }
                case RunFailed e -> { }
                case RunRejected e -> { }
                case StepCompleted e -> { }
                case CertIssued e -> { }
                case CertsDirWritten e -> { }
                case NodeConnected e -> { }
                case NodeDisconnected e -> { }
                case SubnetMismatchDetected e -> { }
                case ImageWarmed e -> { }
                case MirrorLogRead e -> { }
                case ImagePruned e -> { }
                case CachePruned e -> { }
                case ClusterRegistriesPublished e -> published.put(e.cluster(), e.dataHash());
                case UnrecognizedEvent e -> { }
            }
        }
        Map<String, Set<String>> mine = new HashMap<>();
        users.forEach((network, projects) -> mine.put(network, Set.copyOf(projects)));
        return new KnownState(mine, registries, clusters, kinds, published);
    }
}
