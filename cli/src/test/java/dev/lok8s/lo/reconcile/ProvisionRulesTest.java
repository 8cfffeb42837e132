package dev.lok8s.lo.reconcile;

import dev.lok8s.lo.plan.Role;
import dev.lok8s.lo.events.ClusterCreated;
import dev.lok8s.lo.events.ClusterRegistriesPublished;
import dev.lok8s.lo.kube.ClusterRegistries;
import dev.lok8s.lo.kube.RegistryHosting;
import dev.lok8s.lo.events.LoEvent;
import dev.lok8s.lo.events.MirrorStarted;
import dev.lok8s.lo.events.NetworkAdopted;
import dev.lok8s.lo.events.NetworkCreated;
import dev.lok8s.lo.plan.Scope;
import dev.lok8s.lo.events.RegistryStarted;
import dev.lok8s.lo.events.StepOutcome;
import dev.lok8s.lo.plan.Labels;
import dev.lok8s.lo.plan.PlannedRegistry;
import dev.lok8s.lo.plan.RegistryPlan;
import dev.lok8s.lo.run.KnownStateFold;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every provision rule as given (the log's events, the machine) / when (deciding a step of the plan)
 * / then (these actions, these events). Pure: no Docker, no files.
 */
class ProvisionRulesTest {

    static final RegistryPlan PLAN = RulesFixture.SHARED;
    static final PlannedRegistry BUILD = PLAN.build();
    static final PlannedRegistry DOCKER_MIRROR = PLAN.registry("io-docker");
    static final String SHARED_NET = "lok8s-registries";

    /** What an uninterrupted provision of PLAN recorded. */
    static List<LoEvent> provisionedLog() {
        List<LoEvent> events = new java.util.ArrayList<>();
        events.add(new NetworkCreated("lok8s.dev", "lok8s", "lok8s", "10.125.125.0/24", Scope.PROJECT));
        events.add(new NetworkCreated("lok8s.dev", "lok8s", SHARED_NET, "10.125.200.0/24", Scope.SHARED));
        for (PlannedRegistry r : PLAN.registries()) {
            events.add(r.isMirror()
                    ? new MirrorStarted("lok8s.dev", "lok8s", r.container(), r.name(), Scope.SHARED, r.network(),
                    r.ip(), PLAN.image(), r.configHash(), r.upstream())
                    : new RegistryStarted("lok8s.dev", "lok8s", r.container(), r.role(), r.network(), r.ip(),
                    PLAN.image(), r.configHash()));
        }
        events.add(new ClusterCreated("lok8s.dev", "lok8s", "lok8s", List.of("lok8s-control-plane")));
        events.add(published(PLAN));
        return events;
    }

    static ClusterRegistriesPublished published(RegistryPlan plan) {
        return new ClusterRegistriesPublished("lok8s.dev", "lok8s", "lok8s", List.of("kube-public/local-registry-hosting"),
                ClusterRegistries.dataHash(RegistryHosting.desired(plan)));
    }

    // the given/when/then of one step

    record Given(List<LoEvent> events, Machine machine) {
        Then when(String stepId) {
            return when(stepId, Set.of());
        }

        Then when(String stepId, Set<String> startedThisRun) {
            ProvisionRules rules = new ProvisionRules(PLAN, KnownStateFold.fold(PLAN.project(), events), null,
                    Instant.EPOCH);
            return new Then(rules.decide(PLAN.step(stepId), machine.snapshot(), startedThisRun));
        }
    }

    record Then(StepDecision<Change.Provision> decision) {
        Then actions(Verb... verbs) {
            assertThat(decision.actions().stream().map(Action::verb).toList()).as("actions of %s: %s",
                    decision.step(), decision.actions()).containsExactly(verbs);
            return this;
        }

        Then outcome(StepOutcome outcome) {
            assertThat(decision.outcome()).as("outcome of %s", decision.step()).isEqualTo(outcome);
            return this;
        }

        Then events(LoEvent... events) {
            assertThat(decision.actions().stream().flatMap(a -> a.effects().stream()).map(Effect::event).toList())
                    .as("events of %s", decision.step()).containsExactly(events);
            return this;
        }

        Then noEvents() {
            return events();
        }

        Then changesNothing() {
            assertThat(decision.mutates()).as("%s changes the machine: %s", decision.step(), decision.actions())
                    .isFalse();
            return this;
        }

        Then reason(String... fragments) {
            String reasons = decision.detail();
            Arrays.stream(fragments).forEach(f -> assertThat(reasons).as("reason").contains(f));
            return this;
        }

        Then change(Class<? extends Change> type) {
            assertThat(decision.actions()).as("changes").anyMatch(a -> type.isInstance(a.change()));
            return this;
        }
    }

    static Given given(List<LoEvent> events, Machine machine) {
        return new Given(events, machine);
    }

    static String registryStep(PlannedRegistry r) {
        return "registry:" + r.container();
    }

    // everything in place

    @Test
    void aProvisionedMachineThatTheLogKnowsNeedsNoChangeAtAll() {
        var rules = new ProvisionRules(PLAN, KnownStateFold.fold(PLAN.project(), provisionedLog()), null, Instant.EPOCH);
        List<StepDecision<Change.Provision>> decisions = rules.decideAll(Machine.provisioned(PLAN).snapshot());
        assertThat(decisions).as("one decision per step").hasSize(PLAN.steps().size());
        assertThat(decisions).as("nothing changes, nothing is recorded")
                .allSatisfy(d -> {
                    assertThat(d.mutates()).as(d.step()).isFalse();
                    assertThat(d.recordsEffects()).as(d.step()).isFalse();
                    assertThat(d.outcome()).as(d.step()).isEqualTo(StepOutcome.unchanged);
                });
    }

    @Test
    void anEmptyMachineGetsEverythingCreated() {
        var rules = new ProvisionRules(PLAN, KnownStateFold.fold(PLAN.project(), List.of()), null, Instant.EPOCH);
        Map<String, Verb> verbs = new HashMap<>();
        rules.decideAll(Machine.empty().snapshot()).forEach(d -> verbs.put(d.step(), d.actions().getFirst().verb()));
        assertThat(verbs).containsEntry("network:lok8s", Verb.CREATE).containsEntry("network:" + SHARED_NET, Verb.CREATE)
                .containsEntry(registryStep(BUILD), Verb.CREATE).containsEntry(registryStep(DOCKER_MIRROR), Verb.CREATE)
                .containsEntry("image:" + PLAN.image(), Verb.CREATE).containsEntry("certs-dir", Verb.CREATE)
                .containsEntry("cluster:lok8s", Verb.CREATE).containsEntry("check-subnets", Verb.UNCHANGED);
    }

    // registry-discovery

    @Test
    void registryConfigMapsTheLogRecordsAsPublishedAreNotAskedForAgain() {
        given(provisionedLog(), Machine.provisioned(PLAN)).when("registry-discovery:lok8s").actions(Verb.UNCHANGED)
                .changesNothing().noEvents();
    }

    @Test
    void registryConfigMapsAreWrittenIntoANewClusterAndAfterTheRegistriesChange() {
        List<LoEvent> neverPublished = new java.util.ArrayList<>(provisionedLog());
        neverPublished.removeLast();
        given(neverPublished, Machine.provisioned(PLAN)).when("registry-discovery:lok8s").actions(Verb.CREATE);

        List<LoEvent> recreated = new java.util.ArrayList<>(provisionedLog());
        recreated.add(new ClusterCreated("lok8s.dev", "lok8s", "lok8s", List.of("lok8s-control-plane")));
        given(recreated, Machine.provisioned(PLAN)).when("registry-discovery:lok8s").actions(Verb.CREATE);

        List<LoEvent> otherRegistries = new java.util.ArrayList<>(provisionedLog());
        otherRegistries.set(otherRegistries.size() - 1, published(RulesFixture.plan(true, true)));
        given(otherRegistries, Machine.provisioned(PLAN)).when("registry-discovery:lok8s").actions(Verb.CREATE);
    }

    @Test
    void withRegistryDiscoveryOffNothingIsPublishedAndAResumeDoesNotRedoIt() {
        List<LoEvent> neverPublished = new java.util.ArrayList<>(provisionedLog());
        neverPublished.removeLast();
        ProvisionRules off = new ProvisionRules(PLAN, KnownStateFold.fold(PLAN.project(), neverPublished), null,
                Instant.EPOCH, java.util.Map.of(), false);
        StepDecision<Change.Provision> decision = off.decide(PLAN.step("registry-discovery:lok8s"), Machine.provisioned(PLAN).snapshot(),
                Set.of());
        new Then(decision).actions(Verb.UNCHANGED).changesNothing().noEvents().reason("turned off");
        Set<String> allButVerify = new java.util.LinkedHashSet<>();
        PLAN.steps().stream().filter(s -> !s.id().equals("verify")).forEach(s -> allButVerify.add(s.id()));
        assertThat(off.stepsToRedo(allButVerify, Machine.provisioned(PLAN).snapshot()))
                .as("halted at verify with discovery off: nothing to redo").isEmpty();
    }

    // registries

    @Test
    void aForeignContainerOnARegistrysNameIsRefused() {
        Machine machine = Machine.provisioned(PLAN).container(BUILD.container(), "nginx", "running", Map.of(),
                Map.of("lok8s", BUILD.ip()));
        given(provisionedLog(), machine).when(registryStep(BUILD)).actions(Verb.REFUSE).changesNothing().noEvents()
                .reason("container name '" + BUILD.container() + "' is taken by a container lo did not create",
                        "docker rm -f " + BUILD.container());
    }

    @Test
    void aForeignContainerOnARegistrysAddressIsRefused() {
        Machine machine = Machine.provisioned(PLAN);
        machine.containers.remove(BUILD.container());
        machine.container("squatter", "nginx", "running", Map.of(), Map.of("lok8s", BUILD.ip()));
        given(provisionedLog(), machine).when(registryStep(BUILD)).actions(Verb.REFUSE).noEvents()
                .reason("address " + BUILD.ip() + " on network 'lok8s' is taken by container 'squatter'",
                        "docker network disconnect lok8s squatter");
    }

    @Test
    void aRestartingMirrorIsLeftToTheEngineAndReportedByVerifyWithoutWaiting() {
        Machine machine = Machine.provisioned(PLAN).state(DOCKER_MIRROR.container(), "restarting");
        given(provisionedLog(), machine).when(registryStep(DOCKER_MIRROR)).actions(Verb.UNCHANGED).changesNothing()
                .reason("(restarting)");
        Then verify = given(provisionedLog(), machine).when("verify").changesNothing();
        Change.ProbeRegistries probes = (Change.ProbeRegistries) verify.decision().actions().getFirst().change();
        assertThat(probes.restarting()).as("reported, not asked").containsExactly(DOCKER_MIRROR);
        assertThat(probes.probed()).as("asked").doesNotContain(DOCKER_MIRROR).hasSize(PLAN.registries().size() - 1);
    }

    @Test
    void aMirrorThisRunStartedIsAskedEvenWhileRestarting() {
        Machine machine = Machine.provisioned(PLAN).state(DOCKER_MIRROR.container(), "restarting");
        Then verify = given(provisionedLog(), machine).when("verify", Set.of(DOCKER_MIRROR.container()));
        Change.ProbeRegistries probes = (Change.ProbeRegistries) verify.decision().actions().getFirst().change();
        assertThat(probes.probed()).contains(DOCKER_MIRROR);
        assertThat(probes.restarting()).isEmpty();
    }

    @Test
    void aRegistryWithAnotherConfigIsReplaced() {
        Machine machine = Machine.provisioned(PLAN).label(BUILD.container(), Labels.CONFIG_HASH, "0123456789abcdef");
        given(provisionedLog(), machine).when(registryStep(BUILD)).actions(Verb.REPLACE).outcome(StepOutcome.replaced)
                .change(Change.ReplaceRegistry.class).reason("config 0123456789ab ->")
                .events(new RegistryStarted("lok8s.dev", "lok8s", BUILD.container(), Role.BUILD, "lok8s", BUILD.ip(),
                        PLAN.image(), BUILD.configHash(), 21251));
    }

    @Test
    void aTlsRegistryServingAnotherCertificateIsReplaced() {
        RegistryPlan tls = RulesFixture.plan(true, true);
        PlannedRegistry build = tls.build();
        Machine machine = Machine.provisioned(tls).certificate("NEW CERT PEM");
        machine.label(build.container(), Labels.CERT_SHA256, dev.lok8s.lo.plan.Sha256.hex("OLD CERT PEM"));
        var rules = new ProvisionRules(tls, KnownStateFold.fold(tls.project(), List.of()), null, Instant.EPOCH);
        StepDecision<Change.Provision> decision = rules.decide(tls.step(registryStep(build)), machine.snapshot(), Set.of());
        new Then(decision).actions(Verb.REPLACE).reason("certificate");
        machine.label(build.container(), Labels.CERT_SHA256, dev.lok8s.lo.plan.Sha256.hex("NEW CERT PEM"));
        StepDecision<Change.Provision> same = rules.decide(tls.step(registryStep(build)), machine.snapshot(), Set.of());
        new Then(same).actions(Verb.ADOPT).changesNothing();
    }

    @Test
    void aRegistryOnAnotherImageOrAddressIsReplaced() {
        Machine other = Machine.provisioned(PLAN);
        other.container(BUILD.container(), "registry:2.7", "running", BUILD.labels(), Map.of("lok8s", BUILD.ip()));
        given(provisionedLog(), other).when(registryStep(BUILD)).actions(Verb.REPLACE).reason("image registry:2.7 ->");
        Machine moved = Machine.provisioned(PLAN);
        moved.container(BUILD.container(), PLAN.image(), "running", BUILD.labels(), Map.of("lok8s", "10.125.125.99"));
        given(provisionedLog(), moved).when(registryStep(BUILD)).actions(Verb.REPLACE)
                .reason("address 10.125.125.99 -> " + BUILD.ip());
    }

    @Test
    void aRegistryAnEarlierLoCreatedWithoutAHostPortIsRecreatedWithItOnItsVolume() {
        Machine earlier = Machine.provisioned(PLAN).label(BUILD.container(), Labels.HOST_PORT, null);
        given(provisionedLog(), earlier).when(registryStep(BUILD)).actions(Verb.REPLACE).outcome(StepOutcome.replaced)
                .change(Change.ReplaceRegistry.class).reason("host port (none) -> 127.0.0.1:21251")
                .events(new RegistryStarted("lok8s.dev", "lok8s", BUILD.container(), Role.BUILD, "lok8s", BUILD.ip(),
                        PLAN.image(), BUILD.configHash(), 21251));
        StepDecision<Change.Provision> decision = new ProvisionRules(PLAN, KnownStateFold.fold(PLAN.project(), provisionedLog()), null,
                Instant.EPOCH).decide(PLAN.step(registryStep(BUILD)), earlier.snapshot(), Set.of());
        Change.ReplaceRegistry replace = (Change.ReplaceRegistry) decision.actions().getFirst().change();
        assertThat(replace.createVolume()).as("the volume with the pushed images is kept").isFalse();

        Machine moved = Machine.provisioned(PLAN).label(BUILD.container(), Labels.HOST_PORT, "5005");
        given(provisionedLog(), moved).when(registryStep(BUILD)).actions(Verb.REPLACE)
                .reason("host port 127.0.0.1:5005 -> 127.0.0.1:21251");
        given(provisionedLog(), Machine.provisioned(PLAN)).when(registryStep(BUILD)).actions(Verb.UNCHANGED)
                .changesNothing();
    }

    @Test
    void aStoppedRegistryIsStartedAgain() {
        Machine machine = Machine.provisioned(PLAN).state(BUILD.container(), "exited");
        given(provisionedLog(), machine).when(registryStep(BUILD)).actions(Verb.START).outcome(StepOutcome.replaced)
                .change(Change.StartRegistry.class).reason("started again (was exited)");
    }

    @Test
    void aRunningRegistryTheLogDoesNotKnowIsAdoptedWithoutAChange() {
        given(List.of(), Machine.provisioned(PLAN)).when(registryStep(DOCKER_MIRROR)).actions(Verb.ADOPT)
                .outcome(StepOutcome.adopted).changesNothing()
                .events(new MirrorStarted("lok8s.dev", "lok8s", DOCKER_MIRROR.container(), "io-docker",
                        Scope.SHARED, SHARED_NET, DOCKER_MIRROR.ip(), PLAN.image(), DOCKER_MIRROR.configHash(),
                        DOCKER_MIRROR.upstream()));
    }

    @Test
    void aMissingRegistryIsCreatedAndItsVolumeOnlyWhenAbsent() {
        Machine machine = Machine.provisioned(PLAN);
        machine.containers.remove(BUILD.container());
        Then then = given(provisionedLog(), machine).when(registryStep(BUILD)).actions(Verb.CREATE);
        assertThat(((Change.RunRegistry) then.decision().actions().getFirst().change()).createVolume())
                .as("volume kept from before").isFalse();
        machine.volumes.remove(BUILD.volume());
        Then fresh = given(provisionedLog(), machine).when(registryStep(BUILD));
        assertThat(((Change.RunRegistry) fresh.decision().actions().getFirst().change()).createVolume()).isTrue();
    }

    // TLS without mkcert's CA

    @Test
    void tlsWithoutMkcertsCaIsRefusedOnTheStepsThatNeedItWithTheReasonTheRunIsRefusedWith() {
        RegistryPlan tls = RulesFixture.plan(true, true);
        dev.lok8s.lo.failure.Reason problem = dev.lok8s.lo.failure.Reason.of(
                "spec.registries.tls is true but mkcert was not found on the PATH", "install mkcert");
        assertThat(ProvisionRules.tlsRefusal(tls, problem)).as("the run's refusal").contains(problem);
        assertThat(ProvisionRules.tlsRefusal(tls, null)).as("the CA was found").isEmpty();
        assertThat(ProvisionRules.tlsRefusal(PLAN, problem)).as("TLS off needs no CA").isEmpty();

        var rules = new ProvisionRules(tls, KnownStateFold.fold(tls.project(), List.of()), null, Instant.EPOCH,
                Map.of(), true, problem);
        List<StepDecision<Change.Provision>> dryRun = rules.decideAll(Machine.empty().snapshot());
        assertThat(dryRun).filteredOn(d -> d.refusal().isPresent()).extracting(StepDecision<Change.Provision>::step)
                .as("refused where the CA is needed, nowhere else").containsExactly("tls-cert", "certs-dir");
        assertThat(dryRun).filteredOn(d -> d.refusal().isPresent())
                .allSatisfy(d -> assertThat(d.refusal().orElseThrow().why()).as(d.step()).isEqualTo(problem));
        assertThat(dryRun).filteredOn(d -> d.step().startsWith("connect:")).allSatisfy(d ->
                assertThat(d.detail()).as("the nodes of a cluster yet to be made are not refused")
                        .startsWith("the nodes kind creates join"));
    }

    // networks

    @Test
    void aProjectNetworkWithAnotherSubnetAndContainersAttachedIsRefused() {
        Machine machine = Machine.empty().network("lok8s", "10.1.2.0/24", Machine.ours())
                .container("app", "nginx", "running", Map.of(), Map.of("lok8s", "10.1.2.5"));
        given(List.of(), machine).when("check-subnets").actions(Verb.REFUSE)
                .reason("project network 'lok8s' exists with subnet 10.1.2.0/24, expected 10.125.125.0/24",
                        "containers are attached: app");
        given(List.of(), machine).when("network:lok8s").actions(Verb.REFUSE);
    }

    @Test
    void anEmptyProjectNetworkOfLoWithAnotherSubnetIsReplaced() {
        Machine machine = Machine.empty().network("lok8s", "10.1.2.0/24", Machine.ours());
        given(List.of(), machine).when("check-subnets").actions(Verb.UNCHANGED);
        given(List.of(), machine).when("network:lok8s").actions(Verb.REPLACE).outcome(StepOutcome.replaced)
                .change(Change.RecreateNetwork.class).reason("10.1.2.0/24 -> 10.125.125.0/24")
                .events(new NetworkCreated("lok8s.dev", "lok8s", "lok8s", "10.125.125.0/24", Scope.PROJECT));
    }

    @Test
    void anEmptyProjectNetworkNotCreatedByLoWithAnotherSubnetIsRefused() {
        Machine machine = Machine.empty().network("lok8s", "10.1.2.0/24", Map.of());
        given(List.of(), machine).when("check-subnets").actions(Verb.REFUSE).reason("(it was not created by lo)");
    }

    @Test
    void aSharedNetworkWithAnotherSubnetIsRefusedEvenWhenEmpty() {
        Machine machine = Machine.empty().network(SHARED_NET, "10.0.0.0/24", Machine.ours());
        given(List.of(), machine).when("check-subnets").actions(Verb.REFUSE)
                .reason("error: registry network 'lok8s-registries' exists with subnet 10.0.0.0/24, expected 10.125.200.0/24",
                        "lo registry clean --shared && lo provision lok8s.dev");
        given(List.of(), machine).when("network:" + SHARED_NET).actions(Verb.REFUSE);
    }

    @Test
    void aSubnetTheEngineWritesDifferentlyIsThePlannedOneNotAMismatch() {
        // 10.125.200.9/24 is the network 10.125.200.0/24: compared as CIDRs, as lo doctor compares them
        Machine machine = Machine.empty().network(SHARED_NET, "10.125.200.9/24", Machine.ours())
                .network("lok8s", "10.125.125.0/24", Machine.ours());
        given(List.of(), machine).when("check-subnets").actions(Verb.UNCHANGED).reason("subnets match");
        given(List.of(), machine).when("network:" + SHARED_NET).actions(Verb.ADOPT);
    }

    @Test
    void aNetworkAnotherRunCreatedIsAdoptedAndRecordedForThisProject() {
        // Another project's (or a concurrent run's) shared network: same subnet, the log has no use by this project.
        List<LoEvent> others = List.of(new NetworkCreated("b.dev", "b", SHARED_NET, "10.125.200.0/24",
                Scope.SHARED));
        Machine machine = Machine.empty().network(PLAN.sharedNetwork());
        given(others, machine).when("network:" + SHARED_NET).actions(Verb.ADOPT).outcome(StepOutcome.adopted)
                .changesNothing().events(new NetworkAdopted("lok8s.dev", "lok8s", SHARED_NET, "10.125.200.0/24",
                        Scope.SHARED));
        given(provisionedLog(), machine).when("network:" + SHARED_NET).actions(Verb.UNCHANGED).noEvents();
    }

    @Test
    void aMissingNetworkIsCreated() {
        given(List.of(), Machine.empty()).when("network:lok8s").actions(Verb.CREATE).change(Change.CreateNetwork.class)
                .events(new NetworkCreated("lok8s.dev", "lok8s", "lok8s", "10.125.125.0/24", Scope.PROJECT));
    }

    // cluster and nodes

    @Test
    void aNodeNotOnTheSharedNetworkIsConnected() {
        Machine machine = Machine.provisioned(PLAN).node("lok8s-control-plane", "lok8s", "lok8s")
                .node("lok8s-worker", "lok8s", "lok8s", SHARED_NET);
        Then then = given(provisionedLog(), machine).when("connect:" + SHARED_NET).actions(Verb.CREATE)
                .outcome(StepOutcome.created);
        assertThat(then.decision().actions().getFirst().change())
                .isEqualTo(new Change.ConnectNode(SHARED_NET, "lok8s-control-plane"));
    }

    @Test
    void nodesOnBothNetworksNeedNothing() {
        given(provisionedLog(), Machine.provisioned(PLAN)).when("connect:" + SHARED_NET).actions(Verb.UNCHANGED)
                .changesNothing().reason("1 node(s) already on " + SHARED_NET);
    }

    @Test
    void aClusterWithoutNodesCannotBeConnected() {
        Machine machine = Machine.provisioned(PLAN);
        machine.containers.remove("lok8s-control-plane");
        given(provisionedLog(), machine).when("connect:" + SHARED_NET).actions(Verb.REFUSE)
                .reason("has no node containers");
    }

    @Test
    void aClusterIsCreatedWhenItHasNoNodesAndAdoptedWhenTheLogDoesNotKnowIt() {
        Machine none = Machine.provisioned(PLAN);
        none.containers.remove("lok8s-control-plane");
        given(provisionedLog(), none).when("cluster:lok8s").actions(Verb.CREATE).change(Change.CreateCluster.class);
        given(List.of(), Machine.provisioned(PLAN)).when("cluster:lok8s").actions(Verb.ADOPT).changesNothing()
                .events(new ClusterCreated("lok8s.dev", "lok8s", "lok8s", List.of("lok8s-control-plane")));
        given(provisionedLog(), Machine.provisioned(PLAN)).when("cluster:lok8s").actions(Verb.UNCHANGED);
    }

    // image and files

    @Test
    void aMissingImageIsPulled() {
        Machine machine = Machine.provisioned(PLAN);
        machine.imagePresent = false;
        given(provisionedLog(), machine).when("image:" + PLAN.image()).actions(Verb.CREATE).change(Change.PullImage.class);
    }

    @Test
    void aCertsTreeThatDiffersOrHasStaleFilesIsRewritten() {
        Machine changed = Machine.provisioned(PLAN);
        Map<String, String> files = new HashMap<>(PLAN.certsFiles());
        files.put(files.keySet().iterator().next(), "server = \"http://elsewhere\"\n");
        changed.certsFiles = files;
        given(provisionedLog(), changed).when("certs-dir").actions(Verb.REPLACE).outcome(StepOutcome.replaced)
                .reason("1 to write, 0 to remove");
        Machine stale = Machine.provisioned(PLAN);
        Map<String, String> more = new HashMap<>(PLAN.certsFiles());
        more.put("old.example/hosts.toml", "x");
        stale.certsFiles = more;
        given(provisionedLog(), stale).when("certs-dir").actions(Verb.REPLACE).reason("0 to write, 1 to remove");
        Machine none = Machine.provisioned(PLAN);
        none.certsFiles = Map.of();
        given(provisionedLog(), none).when("certs-dir").actions(Verb.CREATE).outcome(StepOutcome.created);
    }

    @Test
    void aDryRunShowsTheNodesOfAClusterYetToBeCreatedJoiningTheSharedNetwork() {
        var rules = new ProvisionRules(PLAN, KnownStateFold.fold(PLAN.project(), List.of()), null, Instant.EPOCH);
        StepDecision<Change.Provision> connect = rules.decideAll(Machine.empty().snapshot()).stream()
                .filter(d -> d.step().equals("connect:" + SHARED_NET)).findFirst().orElseThrow();
        new Then(connect).actions(Verb.CREATE).reason("the nodes kind creates join " + SHARED_NET + " after cluster:lok8s");
    }

    // resume: the steps a resumed run recorded done are checked against the machine

    /** The steps an interrupted run recorded done before it was halted at its cluster step. */
    static Set<String> doneBeforeTheCluster() {
        Set<String> done = new java.util.LinkedHashSet<>();
        for (var step : PLAN.steps()) {
            if (step.id().startsWith("cluster:")) {
                break;
            }
            done.add(step.id());
        }
        return done;
    }

    static List<String> stepsToRedo(List<LoEvent> log, Machine machine, Set<String> recordedDone) {
        ProvisionRules rules = new ProvisionRules(PLAN, KnownStateFold.fold(PLAN.project(), log), null, Instant.EPOCH);
        return rules.stepsToRedo(recordedDone, machine.snapshot());
    }

    @Test
    void aResumeAfterADestroyRedoesTheStepsWhoseEffectIsGone() {
        // Given: a provision halted at its cluster step, then lo destroy (project registries and network gone,
        // the shared network and mirrors kept).
        List<LoEvent> log = new java.util.ArrayList<>(provisionedLog().stream()
                .filter(e -> !(e instanceof ClusterCreated) && !(e instanceof ClusterRegistriesPublished)).toList());
        log.add(new dev.lok8s.lo.events.RegistryRemoved("lok8s.dev", "lok8s", BUILD.container()));
        log.add(new dev.lok8s.lo.events.RegistryRemoved("lok8s.dev", "lok8s", PLAN.registry("cache").container()));
        log.add(new dev.lok8s.lo.events.NetworkRemoved("lok8s.dev", "lok8s", "lok8s", Scope.PROJECT));
        Machine machine = Machine.provisioned(PLAN);
        machine.networks.remove("lok8s");
        machine.containers.remove(BUILD.container());
        machine.containers.remove(PLAN.registry("cache").container());
        machine.containers.remove("lok8s-control-plane");
        machine.certsFiles = Map.of();

        List<String> redo = stepsToRedo(log, machine, doneBeforeTheCluster());

        assertThat(redo).as("recorded done, but their effect is gone (or built on one that is)")
                .contains("network:lok8s", "registry:" + BUILD.container(),
                        "registry:" + PLAN.registry("cache").container(), "certs-dir")
                .as("still in place: skipped")
                .doesNotContain("check-subnets", "network:" + SHARED_NET, "image:" + PLAN.image(),
                        "registry:" + DOCKER_MIRROR.container())
                .as("only steps the run recorded done")
                .allMatch(doneBeforeTheCluster()::contains);
    }

    @Test
    void aResumeOfAMachineAsTheRunLeftItRedoesNothing() {
        Set<String> all = new java.util.LinkedHashSet<>();
        PLAN.steps().forEach(step -> all.add(step.id()));
        assertThat(stepsToRedo(provisionedLog(), Machine.provisioned(PLAN), all)).isEmpty();
        List<LoEvent> log = provisionedLog().stream()
                .filter(e -> !(e instanceof ClusterCreated) && !(e instanceof ClusterRegistriesPublished)).toList();
        Machine noCluster = Machine.provisioned(PLAN);
        noCluster.containers.remove("lok8s-control-plane");
        assertThat(stepsToRedo(log, noCluster, doneBeforeTheCluster())).as("halted at the cluster, nothing undone")
                .isEmpty();
    }

    @Test
    void aClusterDeletedBehindLosBackIsCreatedAgainWithWhatDependsOnIt() {
        Set<String> done = new java.util.LinkedHashSet<>();
        PLAN.steps().stream().filter(s -> !s.id().equals("verify")).forEach(step -> done.add(step.id()));
        Machine machine = Machine.provisioned(PLAN);
        machine.containers.remove("lok8s-control-plane");
        assertThat(stepsToRedo(provisionedLog(), machine, done)).as("kind delete cluster since the run")
                .containsExactly("cluster:lok8s", "connect:" + SHARED_NET, "registry-discovery:lok8s");
    }

    @Test
    void aRemovedMirrorIsStartedAgainButTheProjectRegistriesAreKept() {
        Set<String> done = doneBeforeTheCluster();
        List<LoEvent> log = provisionedLog().stream()
                .filter(e -> !(e instanceof ClusterCreated) && !(e instanceof ClusterRegistriesPublished)).toList();
        Machine machine = Machine.provisioned(PLAN);
        machine.containers.remove("lok8s-control-plane");
        machine.containers.remove(DOCKER_MIRROR.container());
        assertThat(stepsToRedo(log, machine, done)).as("docker rm of one mirror since the run")
                .contains("registry:" + DOCKER_MIRROR.container())
                .doesNotContain("registry:" + BUILD.container(), "network:lok8s");
    }
}
