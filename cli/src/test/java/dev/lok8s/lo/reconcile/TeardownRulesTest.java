package dev.lok8s.lo.reconcile;

import dev.lok8s.lo.events.ClusterDeleted;
import dev.lok8s.lo.events.LoEvent;
import dev.lok8s.lo.events.NetworkRemoved;
import dev.lok8s.lo.plan.Scope;
import dev.lok8s.lo.events.NodeDisconnected;
import dev.lok8s.lo.events.RegistryRemoved;
import dev.lok8s.lo.events.RegistryStopped;
import dev.lok8s.lo.events.StepOutcome;
import dev.lok8s.lo.plan.PlannedRegistry;
import dev.lok8s.lo.plan.PlannedStep;
import dev.lok8s.lo.plan.RegistryPlan;
import dev.lok8s.lo.plan.StepKind;
import dev.lok8s.lo.run.KnownStateFold;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The teardown rules, given/when/then, without Docker. */
class TeardownRulesTest {

    static final RegistryPlan PLAN = RulesFixture.SHARED;
    static final PlannedRegistry BUILD = PLAN.build();
    static final String SHARED_NET = "lok8s-registries";

    static StepDecision<Change.Teardown> decide(List<LoEvent> log, Machine machine, StepKind kind, String target, boolean force) {
        TeardownRules rules = new TeardownRules(PLAN, KnownStateFold.fold(PLAN.project(), log), force);
        return rules.decide(new PlannedStep(kind.id() + ":" + target, kind, target, List.of()), machine.snapshot());
    }

    static List<Verb> verbs(StepDecision<Change.Teardown> d) {
        return d.actions().stream().map(Action::verb).toList();
    }

    static List<LoEvent> events(StepDecision<Change.Teardown> d) {
        return d.actions().stream().flatMap(a -> a.effects().stream()).map(Effect::event).toList();
    }

    @Test
    void cleanSharedIsRefusedWhileAnotherProjectsNodeUsesTheSharedNetwork() {
        Machine machine = Machine.provisioned(PLAN).node("b-control-plane", "b", SHARED_NET);
        StepDecision<Change.Teardown> d = decide(List.of(), machine, StepKind.DISCONNECT, SHARED_NET, false);
        assertThat(verbs(d)).containsExactly(Verb.REFUSE);
        assertThat(d.detail()).contains("shared network 'lok8s-registries' is in use by node b-control-plane (kind cluster b)",
                "lo registry clean lok8s.dev --shared --force");
        assertThat(TeardownRules.foreignAttachments(machine.snapshot(), SHARED_NET, "lok8s"))
                .as("own nodes and shared mirrors do not count")
                .containsExactly(new TeardownRules.Attached("b-control-plane", "b"));
    }

    @Test
    void cleanSharedWithForceDisconnectsEveryoneButTheMirrors() {
        Machine machine = Machine.provisioned(PLAN).node("b-control-plane", "b", SHARED_NET);
        StepDecision<Change.Teardown> d = decide(List.of(), machine, StepKind.DISCONNECT, SHARED_NET, true);
        assertThat(verbs(d)).containsExactly(Verb.DISCONNECT, Verb.DISCONNECT);
        assertThat(events(d)).containsExactly(
                new NodeDisconnected("lok8s.dev", "b", "b-control-plane", SHARED_NET),
                new NodeDisconnected("lok8s.dev", "lok8s", "lok8s-control-plane", SHARED_NET));
    }

    @Test
    void cleanSharedWithOnlyOwnNodesIsNotRefused() {
        StepDecision<Change.Teardown> d = decide(List.of(), Machine.provisioned(PLAN), StepKind.DISCONNECT, SHARED_NET, false);
        assertThat(verbs(d)).containsExactly(Verb.DISCONNECT);
    }

    @Test
    void aNetworkStillInUseOrNotLosIsKeptWithAWarning() {
        StepDecision<Change.Teardown> used = decide(List.of(), Machine.provisioned(PLAN), StepKind.REMOVE_NETWORK, "lok8s", false);
        assertThat(verbs(used)).containsExactly(Verb.UNCHANGED);
        assertThat(used.warnings()).singleElement().asString().contains("kept: still attached: ");
        StepDecision<Change.Teardown> foreign = decide(List.of(), Machine.empty().network("lok8s", "10.125.125.0/24", Map.of()),
                StepKind.REMOVE_NETWORK, "lok8s", false);
        assertThat(foreign.warnings()).containsExactly("network lok8s was not created by lo: left in place");
        StepDecision<Change.Teardown> empty = decide(List.of(), Machine.empty().network(PLAN.projectNetwork()), StepKind.REMOVE_NETWORK,
                "lok8s", false);
        assertThat(verbs(empty)).containsExactly(Verb.REMOVE);
        assertThat(events(empty)).containsExactly(new NetworkRemoved("lok8s.dev", "lok8s", "lok8s", Scope.PROJECT));
    }

    @Test
    void aContainerOrVolumeLoDidNotCreateIsRefused() {
        Machine machine = Machine.empty().container(BUILD.container(), "nginx", "running", Map.of(), Map.of())
                .volume(BUILD.volume(), false);
        assertThat(verbs(decide(List.of(), machine, StepKind.REMOVE_REGISTRY, BUILD.container(), false)))
                .containsExactly(Verb.REFUSE);
        assertThat(verbs(decide(List.of(), machine, StepKind.STOP, BUILD.container(), false)))
                .containsExactly(Verb.REFUSE);
        assertThat(verbs(decide(List.of(), machine, StepKind.REMOVE_VOLUME, BUILD.volume(), false)))
                .containsExactly(Verb.REFUSE);
    }

    @Test
    void somethingAlreadyGoneIsUnchangedAndRecordedGoneWhenTheLogStillHasIt() {
        List<LoEvent> log = ProvisionRulesTest.provisionedLog();
        StepDecision<Change.Teardown> registry = decide(log, Machine.empty(), StepKind.REMOVE_REGISTRY, BUILD.container(), false);
        assertThat(registry.outcome()).isEqualTo(StepOutcome.unchanged);
        assertThat(registry.mutates()).isFalse();
        assertThat(events(registry)).containsExactly(new RegistryRemoved("lok8s.dev", "lok8s", BUILD.container()));
        StepDecision<Change.Teardown> cluster = decide(log, Machine.empty(), StepKind.DELETE_CLUSTER, "lok8s", false);
        assertThat(events(cluster)).containsExactly(new ClusterDeleted("lok8s.dev", "lok8s", "lok8s"));
        assertThat(events(decide(List.of(), Machine.empty(), StepKind.DELETE_CLUSTER, "lok8s", false))).isEmpty();
    }

    @Test
    void runningRegistriesAreStoppedAndStoppedOnesLeftAlone() {
        StepDecision<Change.Teardown> running = decide(List.of(), Machine.provisioned(PLAN), StepKind.STOP, BUILD.container(), false);
        assertThat(verbs(running)).containsExactly(Verb.STOP);
        assertThat(events(running)).containsExactly(new RegistryStopped("lok8s.dev", "lok8s", BUILD.container()));
        StepDecision<Change.Teardown> stopped = decide(List.of(), Machine.provisioned(PLAN).state(BUILD.container(), "exited"),
                StepKind.STOP, BUILD.container(), false);
        assertThat(verbs(stopped)).containsExactly(Verb.UNCHANGED);
    }
}
