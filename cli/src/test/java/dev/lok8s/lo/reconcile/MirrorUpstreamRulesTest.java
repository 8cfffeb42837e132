package dev.lok8s.lo.reconcile;

import dev.lok8s.lo.events.MirrorStarted;
import dev.lok8s.lo.events.StepOutcome;
import dev.lok8s.lo.failure.Reason;
import dev.lok8s.lo.plan.Labels;
import dev.lok8s.lo.plan.MirrorMode;
import dev.lok8s.lo.plan.PlannedRegistry;
import dev.lok8s.lo.plan.RegistryConfigYaml;
import dev.lok8s.lo.plan.RegistryPlan;
import dev.lok8s.lo.plan.Scope;
import dev.lok8s.lo.run.KnownStateFold;
import dev.lok8s.lo.upstream.LoginState;
import dev.lok8s.lo.upstream.MirrorUpstream;
import dev.lok8s.lo.upstream.UpstreamLogin;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The mirror's mode and login as rules: when a mirror is started again, and what it records. */
class MirrorUpstreamRulesTest {

    static final RegistryPlan PLAN = RulesFixture.SHARED;
    static final PlannedRegistry MIRROR = PLAN.registry("io-docker");
    static final String STEP = "registry:" + MIRROR.container();
    static final UpstreamLogin LOGIN = new UpstreamLogin("https://index.docker.io/v1/", "dev", "s3cret-pass");

    static MirrorUpstream upstream(MirrorMode mode, UpstreamLogin login, String fingerprint) {
        return new MirrorUpstream(MIRROR.container(), MIRROR.upstream(), mode, login, fingerprint,
                login == null ? LoginState.ANONYMOUS : LoginState.USED, null, mode == MirrorMode.OFFLINE ? "refused" : null);
    }

    static StepDecision<Change.Provision> decide(Machine machine, MirrorUpstream upstream) {
        ProvisionRules rules = new ProvisionRules(PLAN, KnownStateFold.fold(PLAN.project(),
                ProvisionRulesTest.provisionedLog()), null, Instant.EPOCH,
                upstream == null ? Map.of() : Map.of(MIRROR.container(), upstream));
        return rules.decide(PLAN.step(STEP), machine.snapshot(), Set.of());
    }

    @Test
    void aMirrorWithoutModeLabelProxiesAndIsLeftAlone() {
        StepDecision<Change.Provision> decision = decide(Machine.provisioned(PLAN), upstream(MirrorMode.PROXY, null, null));
        new ProvisionRulesTest.Then(decision).changesNothing().outcome(StepOutcome.unchanged);
    }

    @Test
    void anUnansweringUpstreamPutsTheMirrorOfflineOnTheSameVolume() {
        StepDecision<Change.Provision> decision = decide(Machine.provisioned(PLAN), upstream(MirrorMode.OFFLINE, null, null));
        new ProvisionRulesTest.Then(decision).actions(Verb.REPLACE).outcome(StepOutcome.replaced)
                .change(Change.ReplaceRegistry.class)
                .reason("mode proxy -> offline", "does not answer: serving its cache")
                .events(new MirrorStarted("lok8s.dev", "lok8s", MIRROR.container(), MIRROR.name(), Scope.SHARED,
                        MIRROR.network(), MIRROR.ip(), PLAN.image(), MIRROR.configHash(), MIRROR.upstream(),
                        MirrorMode.OFFLINE, null));
        Change.ReplaceRegistry replace = (Change.ReplaceRegistry) decision.actions().getFirst().change();
        assertThat(replace.createVolume()).as("the cache's volume is kept").isFalse();
    }

    @Test
    void anOfflineMirrorGoesBackToProxyingWhenTheUpstreamAnswers() {
        Machine offline = Machine.provisioned(PLAN).label(MIRROR.container(), Labels.MIRROR_MODE, "offline");
        new ProvisionRulesTest.Then(decide(offline, upstream(MirrorMode.PROXY, null, null))).actions(Verb.REPLACE)
                .reason("mode offline -> proxy", "answers again");
        new ProvisionRulesTest.Then(decide(offline, upstream(MirrorMode.OFFLINE, null, null))).changesNothing();
    }

    @Test
    void aNewChangedOrRemovedLoginRestartsTheMirrorAndRecordsOnlyItsFingerprint() {
        Machine anonymous = Machine.provisioned(PLAN);
        StepDecision<Change.Provision> added = decide(anonymous, upstream(MirrorMode.PROXY, LOGIN, "f1"));
        new ProvisionRulesTest.Then(added).actions(Verb.REPLACE).reason("upstream login added")
                .events(new MirrorStarted("lok8s.dev", "lok8s", MIRROR.container(), MIRROR.name(), Scope.SHARED,
                        MIRROR.network(), MIRROR.ip(), PLAN.image(), MIRROR.configHash(), MIRROR.upstream(),
                        MirrorMode.PROXY, "f1"));
        assertThat(added.toString()).as("the decision as printed and recorded").doesNotContain(LOGIN.secret());

        Machine loggedIn = Machine.provisioned(PLAN).label(MIRROR.container(), Labels.UPSTREAM_LOGIN, "f1");
        new ProvisionRulesTest.Then(decide(loggedIn, upstream(MirrorMode.PROXY, LOGIN, "f1"))).changesNothing();
        new ProvisionRulesTest.Then(decide(loggedIn, upstream(MirrorMode.PROXY, LOGIN, "f2"))).actions(Verb.REPLACE)
                .reason("upstream login changed");
        new ProvisionRulesTest.Then(decide(loggedIn, upstream(MirrorMode.PROXY, null, null))).actions(Verb.REPLACE)
                .reason("upstream login removed");
    }

    @Test
    void aLoginThatCouldNotBeReadLeavesTheMirrorAsItIs() {
        Machine loggedIn = Machine.provisioned(PLAN).label(MIRROR.container(), Labels.UPSTREAM_LOGIN, "f1");
        MirrorUpstream unreadable = new MirrorUpstream(MIRROR.container(), MIRROR.upstream(), MirrorMode.PROXY, null,
                null, LoginState.UNREADABLE, Reason.of("cannot read"), null);
        new ProvisionRulesTest.Then(decide(loggedIn, unreadable)).changesNothing();
    }

    @Test
    void withoutALookAtTheUpstreamTheLabelsAreNotJudged() {
        Machine offline = Machine.provisioned(PLAN).label(MIRROR.container(), Labels.MIRROR_MODE, "offline")
                .label(MIRROR.container(), Labels.UPSTREAM_LOGIN, "f1");
        new ProvisionRulesTest.Then(decide(offline, null)).changesNothing();
    }

    @Test
    void theOfflineConfigServesTheSameStorageReadOnlyWithoutTheProxy() {
        String offline = RegistryConfigYaml.mirror(MIRROR, false, MirrorMode.OFFLINE, "dev", "pw");
        assertThat(offline).doesNotContain("proxy:").doesNotContain("pw")
                .contains("rootdirectory: " + PlannedRegistry.DATA_DIR)
                .contains("  maintenance:\n    readonly:\n      enabled: true\n");
        String anonymous = RegistryConfigYaml.mirror(MIRROR, false, MirrorMode.PROXY, null, null);
        assertThat(anonymous).as("the plan's own config, so its hash is unchanged").isEqualTo(MIRROR.config());
        String withLogin = RegistryConfigYaml.mirror(MIRROR, false, MirrorMode.PROXY, "dev", "p\"w\\:x\n");
        assertThat(withLogin).endsWith("proxy:\n  remoteurl: " + MIRROR.upstream()
                + "\n  username: \"dev\"\n  password: \"p\\\"w\\\\:x\\u000a\"\n");
    }
}
