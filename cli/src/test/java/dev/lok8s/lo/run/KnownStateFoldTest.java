package dev.lok8s.lo.run;

import dev.lok8s.lo.reconcile.KnownState;
import dev.lok8s.lo.plan.Role;
import dev.lok8s.lo.events.ClusterCreated;
import dev.lok8s.lo.events.ClusterDeleted;
import dev.lok8s.lo.events.MirrorStarted;
import dev.lok8s.lo.events.NetworkAdopted;
import dev.lok8s.lo.events.NetworkCreated;
import dev.lok8s.lo.events.NetworkRemoved;
import dev.lok8s.lo.plan.Scope;
import dev.lok8s.lo.events.RegistryRemoved;
import dev.lok8s.lo.events.RegistryStarted;
import dev.lok8s.lo.events.RegistryStopped;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class KnownStateFoldTest {

    @Test
    void networksAreUsedByTheProjectsThatCreatedOrAdoptedThemUntilRemoved() {
        KnownState known = KnownStateFold.fold("a", List.of(
                new NetworkCreated("a.dev", "a", "shared", "10.0.0.0/24", Scope.SHARED),
                new NetworkAdopted("b.dev", "b", "shared", "10.0.0.0/24", Scope.SHARED),
                new NetworkCreated("a.dev", "a", "a-net", "10.0.1.0/24", Scope.PROJECT),
                new NetworkRemoved("a.dev", "a", "a-net", Scope.PROJECT)));
        assertThat(known.networkUsers()).containsOnlyKeys("shared");
        assertThat(known.networkUsedBy("shared", "a")).isTrue();
        assertThat(known.networkUsedBy("shared", "b")).isTrue();
        assertThat(known.networkUsedBy("a-net", "a")).isFalse();
    }

    @Test
    void registriesAreKnownFromStartedUntilRemovedAndStoppingKeepsThem() {
        KnownState known = KnownStateFold.fold("a", List.of(
                new RegistryStarted("a.dev", "a", "a-build", Role.BUILD, "a-net", "10.0.1.101", "img", "h"),
                new MirrorStarted("a.dev", "a", "m-docker", "io-docker", Scope.SHARED, "shared", "10.0.0.2",
                        "img", "h", "https://registry-1.docker.io"),
                new RegistryStopped("a.dev", "a", "a-build"),
                new RegistryStarted("a.dev", "a", "a-cache", Role.CACHE, "a-net", "10.0.1.102", "img", "h"),
                new RegistryRemoved("a.dev", "a", "a-cache")));
        assertThat(known.registries()).containsExactlyInAnyOrder("a-build", "m-docker");
    }

    @Test
    void aDeletedClusterNoLongerUsesTheSharedNetwork() {
        KnownState known = KnownStateFold.fold("a", List.of(
                new NetworkAdopted("a.dev", "a", "shared", "10.0.0.0/24", Scope.SHARED),
                new NetworkAdopted("b.dev", "b", "shared", "10.0.0.0/24", Scope.SHARED),
                new ClusterCreated("a.dev", "a", "a", List.of("a-control-plane"), "/usr/local/bin/kind"),
                new ClusterDeleted("a.dev", "a", "a")));
        assertThat(known.clusters()).isEmpty();
        assertThat(known.networkUsers().get("shared")).isEqualTo(Set.of("b"));
    }

    @Test
    void theKindThatCreatedAClusterIsRemembered() {
        KnownState known = KnownStateFold.fold("a", List.of(
                new ClusterCreated("a.dev", "a", "a", List.of(), "/opt/kind/bin/kind"),
                new ClusterCreated("a.dev", "a", "old", List.of())));
        assertThat(known.clusterKinds()).containsExactly(java.util.Map.entry("a", "/opt/kind/bin/kind"));
        assertThat(known.clusters()).containsExactlyInAnyOrder("a", "old");
    }
}
