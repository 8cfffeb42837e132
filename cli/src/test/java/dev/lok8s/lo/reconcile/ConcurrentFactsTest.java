package dev.lok8s.lo.reconcile;

import dev.lok8s.lo.events.LoEvent;
import dev.lok8s.lo.events.MirrorStarted;
import dev.lok8s.lo.events.NetworkAdopted;
import dev.lok8s.lo.events.NetworkCreated;
import dev.lok8s.lo.events.NetworkRemoved;
import dev.lok8s.lo.events.NodeDisconnected;
import dev.lok8s.lo.events.RegistryRemoved;
import dev.lok8s.lo.plan.Scope;
import dev.lok8s.lo.reconcile.ConcurrentFacts.Resolution;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Given what another run appended since this run read a stream, when this run appends, then what it still records. */
class ConcurrentFactsTest {

    static final String STREAM = "network-lok8s-registries";
    static final String NET = "lok8s-registries";

    static MirrorStarted mirror(String project, String configHash) {
        return new MirrorStarted(project + ".dev", project, "lok8s-registry-io-docker", "io-docker", Scope.SHARED, NET,
                "10.125.200.150", "registry:2.8.2", configHash, "https://registry-1.docker.io");
    }

    static NetworkCreated created(String project) {
        return new NetworkCreated(project + ".dev", project, NET, "10.125.200.0/24", Scope.SHARED);
    }

    static NetworkAdopted adopted(String project) {
        return new NetworkAdopted(project + ".dev", project, NET, "10.125.200.0/24", Scope.SHARED);
    }

    static Resolution when(List<LoEvent> ours, List<LoEvent> theirs) {
        return ConcurrentFacts.resolve(STREAM, ours, theirs);
    }

    @Test
    void aMirrorTheOtherRunRecordedWithTheSameConfigurationIsNotRecordedAgain() {
        assertThat(when(List.of(mirror("b", "h1")), List.of(created("a"), mirror("a", "h1"))))
                .isEqualTo(new Resolution.Append(List.of()));
    }

    @Test
    void anotherProjectsUseOfTheNetworkIsAFactOfItsOwn() {
        assertThat(when(List.of(adopted("b")), List.of(created("a"))))
                .isEqualTo(new Resolution.Append(List.of(adopted("b"))));
    }

    @Test
    void theSameProjectsUseRecordedByTheOtherRunIsNotRepeatedWhetherCreatedOrAdopted() {
        assertThat(when(List.of(adopted("a")), List.of(created("a")))).isEqualTo(new Resolution.Append(List.of()));
    }

    @Test
    void onlyTheFactsAlreadyRecordedAreDropped() {
        assertThat(when(List.of(adopted("b"), mirror("b", "h1")), List.of(mirror("a", "h1"))))
                .isEqualTo(new Resolution.Append(List.of(adopted("b"))));
    }

    @Test
    void aMirrorTheOtherRunRemovedSinceIsRefusedWithItsReason() {
        Resolution r = when(List.of(mirror("b", "h1")), List.of(mirror("a", "h1"),
                new RegistryRemoved("a.dev", "a", "lok8s-registry-io-docker")));
        assertThat(r).isInstanceOfSatisfying(Resolution.Refuse.class, refuse -> {
            assertThat(refuse.reason().message()).contains(STREAM).contains("lok8s-registry-io-docker");
            assertThat(refuse.reason().fix()).contains("run the command again");
        });
    }

    @Test
    void aMirrorTheOtherRunStartedWithAnotherConfigurationIsRefused() {
        assertThat(when(List.of(mirror("b", "h1")), List.of(mirror("a", "h2")))).isInstanceOf(Resolution.Refuse.class);
    }

    @Test
    void aNetworkRemovedWhileThisRunAdoptedItIsRefusedAndTheOppositeToo() {
        NetworkRemoved removed = new NetworkRemoved("a.dev", "a", NET, Scope.SHARED);
        assertThat(when(List.of(adopted("b")), List.of(removed))).isInstanceOf(Resolution.Refuse.class);
        assertThat(when(List.of(removed), List.of(adopted("b")))).isInstanceOf(Resolution.Refuse.class);
    }

    @Test
    void aRemovalTheOtherRunRecordedIsNotRepeated() {
        RegistryRemoved removedByA = new RegistryRemoved("a.dev", "a", "lok8s-registry-io-docker");
        RegistryRemoved removedByB = new RegistryRemoved("b.dev", "b", "lok8s-registry-io-docker");
        NodeDisconnected node = new NodeDisconnected("b.dev", "b", "b-control-plane", NET);
        assertThat(when(List.of(removedByB, node), List.of(removedByA)))
                .isEqualTo(new Resolution.Append(List.of(node)));
    }

    @Test
    void theLastFactAboutTheSubjectCounts() {
        // started, removed, started again with the same configuration: it runs, as this run records
        assertThat(when(List.of(mirror("b", "h1")), List.of(mirror("a", "h1"),
                new RegistryRemoved("a.dev", "a", "lok8s-registry-io-docker"), mirror("c", "h1"))))
                .isEqualTo(new Resolution.Append(List.of()));
    }

    @Test
    void eventsAboutOtherSubjectsAreAppendedAfterTheirs() {
        MirrorStarted other = new MirrorStarted("a.dev", "a", "lok8s-registry-io-quay", "io-quay", Scope.SHARED, NET,
                "10.125.200.151", "registry:2.8.2", "h9", "https://quay.io");
        assertThat(when(List.of(mirror("b", "h1")), List.of(other, new RegistryRemoved("a.dev", "a", "x"))))
                .isEqualTo(new Resolution.Append(List.of(mirror("b", "h1"))));
    }
}
