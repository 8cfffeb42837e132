package dev.lok8s.lo.reconcile;

import dev.lok8s.lo.engine.ContainerInfo;
import dev.lok8s.lo.engine.NetworkInfo;
import dev.lok8s.lo.engine.ResourceConflictException;
import dev.lok8s.lo.events.NetworkAdopted;
import dev.lok8s.lo.events.StepOutcome;
import dev.lok8s.lo.failure.Reason;
import dev.lok8s.lo.plan.Labels;
import dev.lok8s.lo.plan.MirrorMode;
import dev.lok8s.lo.plan.PlannedNetwork;
import dev.lok8s.lo.plan.PlannedRegistry;
import dev.lok8s.lo.plan.RegistryPlan;
import dev.lok8s.lo.plan.Scope;
import dev.lok8s.lo.plan.Sha256;
import dev.lok8s.lo.registry.RegistryProbe;
import dev.lok8s.lo.run.KnownStateFold;
import dev.lok8s.lo.upstream.LoginState;
import dev.lok8s.lo.upstream.MirrorUpstream;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the act part observed, judged by the rules: a network or registry another process made under the
 * planned name while this run created it (given the machine and what was found / when the rule judges it /
 * then adopt, refuse or fail, with the reason), and what verify's answers mean (warning or failure).
 */
class RaceAndVerifyRulesTest {

    static final RegistryPlan PLAN = RulesFixture.SHARED;
    static final PlannedRegistry BUILD = PLAN.build();
    static final PlannedRegistry CACHE = PLAN.registry("cache");
    static final PlannedRegistry DOCKER_MIRROR = PLAN.registry("io-docker");
    static final PlannedRegistry QUAY = PLAN.registry("io-quay");
    static final PlannedNetwork SHARED = PLAN.sharedNetwork();
    static final ResourceConflictException CONFLICT = new ResourceConflictException(
            "container name 'lok8s-build' is already in use by abc: remove it or choose another name", null);

    static ProvisionRules rules(Map<String, MirrorUpstream> upstreams) {
        return new ProvisionRules(PLAN, KnownStateFold.fold(PLAN.project(), List.of()), null, Instant.EPOCH, upstreams);
    }

    static ProvisionRules rules() {
        return rules(Map.of());
    }

    /** The container another run started as this plan has it. */
    static ContainerInfo asPlanned(PlannedRegistry r) {
        return new ContainerInfo("id-x", r.container(), RulesFixture.IMAGE, "running", r.labels(),
                Map.of(r.network(), r.ip()));
    }

    static ContainerInfo withLabel(ContainerInfo c, String key, String value) {
        Map<String, String> labels = new LinkedHashMap<>(c.labels());
        labels.put(key, value);
        return new ContainerInfo(c.id(), c.name(), c.image(), c.state(), labels, c.networks());
    }

    static ProvisionRules.RacedRegistry registryRaced(ProvisionRules rules, PlannedRegistry r,
                                                      Optional<ContainerInfo> found, Machine machine) {
        return rules.racedRegistry(new Acted.RegistryTaken(r, found, CONFLICT), machine.snapshot());
    }

    // a raced registry

    @Test
    void aRacedRegistryAsPlannedIsAdopted() {
        var verdict = registryRaced(rules(), BUILD, Optional.of(asPlanned(BUILD)), Machine.empty());
        assertThat(verdict).isEqualTo(new ProvisionRules.RacedRegistry.Adopt(asPlanned(BUILD)));
    }

    @Test
    void aRacedRegistryWithAnotherConfigIsRefusedWithTheEnginesWords() {
        var found = withLabel(asPlanned(BUILD), Labels.CONFIG_HASH, "0123456789abcdef");
        assertThat(registryRaced(rules(), BUILD, Optional.of(found), Machine.empty()))
                .isEqualTo(new ProvisionRules.RacedRegistry.Refuse(Reason.of(CONFLICT.getMessage())));
    }

    @Test
    void aRacedRegistryWithTheSameConfigButAnotherCertificateIsRefused() {
        // the config hash alone would have adopted it: the certificate is compared too
        RegistryPlan tls = RulesFixture.plan(true, true);
        PlannedRegistry build = tls.build();
        var rules = new ProvisionRules(tls, KnownStateFold.fold(tls.project(), List.of()), null, Instant.EPOCH);
        Machine machine = Machine.empty().certificate("THIS RUN'S CERT PEM");
        var found = withLabel(asPlanned(build), Labels.CERT_SHA256, Sha256.hex("ANOTHER CERT PEM"));
        assertThat(rules.racedRegistry(new Acted.RegistryTaken(build, Optional.of(found), CONFLICT), machine.snapshot()))
                .isInstanceOf(ProvisionRules.RacedRegistry.Refuse.class);
        var same = withLabel(asPlanned(build), Labels.CERT_SHA256, Sha256.hex("THIS RUN'S CERT PEM"));
        assertThat(rules.racedRegistry(new Acted.RegistryTaken(build, Optional.of(same), CONFLICT), machine.snapshot()))
                .isInstanceOf(ProvisionRules.RacedRegistry.Adopt.class);
    }

    @Test
    void aRacedRegistryOnAnotherImageOrAddressIsRefused() {
        var image = new ContainerInfo("id-x", BUILD.container(), "registry:2.7", "running", BUILD.labels(),
                Map.of(BUILD.network(), BUILD.ip()));
        assertThat(registryRaced(rules(), BUILD, Optional.of(image), Machine.empty()))
                .as("another image").isInstanceOf(ProvisionRules.RacedRegistry.Refuse.class);
        var address = new ContainerInfo("id-x", BUILD.container(), RulesFixture.IMAGE, "running", BUILD.labels(),
                Map.of(BUILD.network(), "10.125.125.99"));
        assertThat(registryRaced(rules(), BUILD, Optional.of(address), Machine.empty()))
                .as("another address").isInstanceOf(ProvisionRules.RacedRegistry.Refuse.class);
    }

    @Test
    void aRacedMirrorInAnotherModeThanItsUpstreamAllowsIsRefused() {
        MirrorUpstream offline = new MirrorUpstream(DOCKER_MIRROR.container(), DOCKER_MIRROR.upstream(),
                MirrorMode.OFFLINE, null, null, LoginState.ANONYMOUS, null, "refused");
        var found = withLabel(asPlanned(DOCKER_MIRROR), Labels.MIRROR_MODE, MirrorMode.PROXY.label());
        assertThat(registryRaced(rules(Map.of(DOCKER_MIRROR.container(), offline)), DOCKER_MIRROR, Optional.of(found),
                Machine.empty())).isInstanceOf(ProvisionRules.RacedRegistry.Refuse.class);
    }

    @Test
    void aRacedContainerLoDidNotMakeOrNoneAtAllIsRefused() {
        Map<String, String> foreign = new LinkedHashMap<>(BUILD.labels());
        foreign.remove(Labels.MANAGED_BY);
        var stranger = new ContainerInfo("id-x", BUILD.container(), RulesFixture.IMAGE, "running", foreign,
                Map.of(BUILD.network(), BUILD.ip()));
        assertThat(registryRaced(rules(), BUILD, Optional.of(stranger), Machine.empty()))
                .isInstanceOf(ProvisionRules.RacedRegistry.Refuse.class);
        assertThat(registryRaced(rules(), BUILD, Optional.empty(), Machine.empty()))
                .isEqualTo(new ProvisionRules.RacedRegistry.Refuse(Reason.of(CONFLICT.getMessage())));
    }

    // a raced network

    static final ResourceConflictException POOL = new ResourceConflictException("pool overlaps", null);

    static ProvisionRules.RacedNetwork networkRaced(Optional<NetworkInfo> found, boolean replacing) {
        return rules().racedNetwork(PLAN.step("network:" + SHARED.name()),
                new Acted.NetworkTaken(SHARED, found, POOL, replacing), Machine.empty().snapshot());
    }

    @Test
    void aRacedNetworkWithThePlannedSubnetIsAdoptedAsTheStepDecidedAgainAgainstIt() {
        var found = new NetworkInfo("id-x", SHARED.name(), SHARED.cidr(), SHARED.labels(), Map.of());
        assertThat(networkRaced(Optional.of(found), false)).isInstanceOfSatisfying(
                ProvisionRules.RacedNetwork.Adopt.class, adopt -> {
                    assertThat(adopt.decidedAgain().outcome()).isEqualTo(StepOutcome.adopted);
                    assertThat(adopt.decidedAgain().mutates()).isFalse();
                    assertThat(adopt.decidedAgain().actions().getFirst().effects()).extracting(Effect::event)
                            .containsExactly(new NetworkAdopted("lok8s.dev", "lok8s", SHARED.name(), SHARED.cidr(),
                                    Scope.SHARED));
                });
    }

    @Test
    void aRacedNetworkWithAnotherSubnetOrNoneFailsTheStepWithTheEnginesWords() {
        var other = new NetworkInfo("id-x", SHARED.name(), "10.0.0.0/24", SHARED.labels(), Map.of());
        String expected = "cannot create network 'lok8s-registries' (10.125.200.0/24): pool overlaps";
        assertThat(networkRaced(Optional.of(other), false))
                .isEqualTo(new ProvisionRules.RacedNetwork.Fail(Reason.of(expected)));
        assertThat(networkRaced(Optional.empty(), false))
                .isEqualTo(new ProvisionRules.RacedNetwork.Fail(Reason.of(expected)));
    }

    @Test
    void aNetworkRecreatedMeanwhileByAnotherProcessWhileLoReplacedItFailsTheStep() {
        var found = new NetworkInfo("id-x", SHARED.name(), SHARED.cidr(), SHARED.labels(), Map.of());
        assertThat(networkRaced(Optional.of(found), true)).isEqualTo(new ProvisionRules.RacedNetwork.Fail(Reason.of(
                "network 'lok8s-registries' was created again by another process while lo replaced it")));
    }

    // verify

    static Acted.Probed probed(Map<PlannedRegistry, RegistryProbe.Answer> answers, List<PlannedRegistry> restarting) {
        return new Acted.Probed(new Change.ProbeRegistries(List.copyOf(answers.keySet()), restarting), answers);
    }

    static final RegistryProbe.Answer OK = new RegistryProbe.Answer(true, 200, null);
    static final RegistryProbe.Answer REFUSED = new RegistryProbe.Answer(false, 0, "Connection refused");

    @Test
    void everyRegistryAnsweringVerifiesWithoutWarnings() {
        Map<PlannedRegistry, RegistryProbe.Answer> answers = new LinkedHashMap<>();
        PLAN.registries().forEach(r -> answers.put(r, OK));
        var verification = rules().verified(probed(answers, List.of()));
        assertThat(verification.detail()).isEqualTo("4/4 registries answer");
        assertThat(verification.warnings()).isEmpty();
        assertThat(verification.silent()).isEmpty();
    }

    @Test
    void aSilentMirrorIsAWarningASilentBuildOrCacheRegistryFailsTheRun() {
        Map<PlannedRegistry, RegistryProbe.Answer> answers = new LinkedHashMap<>();
        answers.put(BUILD, REFUSED);
        answers.put(CACHE, OK);
        answers.put(DOCKER_MIRROR, REFUSED);
        var verification = rules().verified(probed(answers, List.of(QUAY)));
        assertThat(verification.silent()).extracting(ProvisionRules.Silent::registry).containsExactly(BUILD);
        assertThat(verification.silent().getFirst().withLogs("    last line")).isEqualTo(
                BUILD.container() + " (" + BUILD.ip() + ") does not answer on " + BUILD.url()
                        + " (Connection refused); its last log lines:\n    last line");
        assertThat(verification.warnings()).containsExactly(
                "mirror " + QUAY.container() + " (" + QUAY.ip() + ") keeps restarting: a "
                        + "pull-through registry exits while its upstream https://quay.io does not answer (docker logs "
                        + QUAY.container() + ")",
                "mirror " + DOCKER_MIRROR.container() + " (" + DOCKER_MIRROR.ip() + ") does not answer on "
                        + DOCKER_MIRROR.url() + " (Connection refused): a pull-through registry only listens once its "
                        + "upstream https://registry-1.docker.io answers");
    }

    @Test
    void anOfflineMirrorAndAnUpstreamLoginProblemAreWarnings() {
        MirrorUpstream offline = new MirrorUpstream(DOCKER_MIRROR.container(), DOCKER_MIRROR.upstream(),
                MirrorMode.OFFLINE, null, null, LoginState.ANONYMOUS, Reason.of("the login was refused", "docker login"),
                "timed out");
        Map<PlannedRegistry, RegistryProbe.Answer> answers = new LinkedHashMap<>();
        PLAN.registries().forEach(r -> answers.put(r, OK));
        var verification = rules(Map.of(DOCKER_MIRROR.container(), offline)).verified(probed(answers, List.of()));
        assertThat(verification.silent()).isEmpty();
        assertThat(verification.warnings()).containsExactly(
                "mirror " + DOCKER_MIRROR.container() + " is offline: its upstream https://registry-1.docker.io does "
                        + "not answer (timed out); it serves its cache read-only until lo registry up finds the upstream"
                        + " answering again",
                "mirror " + DOCKER_MIRROR.container() + ": the login was refused (docker login)");
    }
}
