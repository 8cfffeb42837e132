package dev.lok8s.lo.cache;

import dev.lok8s.lo.engine.ContainerInfo;
import dev.lok8s.lo.plan.Labels;
import dev.lok8s.lo.plan.MirrorMode;
import dev.lok8s.lo.plan.PlannedRegistry;
import dev.lok8s.lo.plan.RegistryPlan;
import dev.lok8s.lo.spec.SpecBuilder;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Given the mirror's container, when an image failed through it, then the failure the warm reports. */
class WarmMirrorCheckTest {

    static final RegistryPlan PLAN = SpecBuilder.defaultCluster().plan();
    static final ImageName IMAGE = ImageName.parse("busybox:1.36");
    static final PlannedRegistry MIRROR = WarmTargets.mirrorFor(PLAN, IMAGE);
    static final RegistryHttp.RegistryException NO_ANSWER = new RegistryHttp.RegistryException(0,
            "connect timed out");
    static final RegistryHttp.RegistryException NOT_FOUND = new RegistryHttp.RegistryException(404,
            "HTTP 404 for the manifest");

    static Optional<ContainerInfo> container(String state, MirrorMode mode) {
        return Optional.of(new ContainerInfo("id", MIRROR.container(), "registry", state,
                mode == null ? Map.of() : Map.of(Labels.MIRROR_MODE, mode.label()), Map.of()));
    }

    static RegistryHttp.RegistryException explain(RegistryHttp.RegistryException failure,
                                                  Optional<ContainerInfo> container) {
        return WarmMirrorCheck.explain(failure, MIRROR, IMAGE, PLAN.domain(), container);
    }

    @Test
    void aMirrorThatDidNotAnswerAndIsStoppedMustBeStarted() {
        RegistryHttp.RegistryException reported = explain(NO_ANSWER, container("exited", MirrorMode.PROXY));
        assertThat(reported.status()).isZero();
        assertThat(reported.getMessage()).isEqualTo("mirror " + MIRROR.container() + " is exited: start it with "
                + "lo registry up " + PLAN.domain());
    }

    @Test
    void aMissingMirrorIsNamedMissing() {
        assertThat(explain(NO_ANSWER, Optional.empty()).getMessage())
                .isEqualTo("mirror " + MIRROR.container() + " is missing: start it with lo registry up "
                        + PLAN.domain());
    }

    @Test
    void anOfflineMirrorCannotGiveWhatItsCacheLacks() {
        RegistryHttp.RegistryException reported = explain(NOT_FOUND, container("running", MirrorMode.OFFLINE));
        assertThat(reported.status()).as("the registry's status is kept").isEqualTo(404);
        assertThat(reported.getMessage()).startsWith("mirror " + MIRROR.container() + " is offline (its upstream "
                        + MIRROR.upstream() + " did not answer)")
                .contains("cannot give " + IMAGE + " (HTTP 404 for the manifest)",
                        "lo registry up " + PLAN.domain() + " has switched the mirror back");
    }

    @Test
    void aRunningProxyingMirrorExplainsNothingMore() {
        assertThat(explain(NOT_FOUND, container("running", MirrorMode.PROXY))).isSameAs(NOT_FOUND);
        assertThat(explain(NO_ANSWER, container("running", null))).as("no mode label: a proxy")
                .isSameAs(NO_ANSWER);
    }

    @Test
    void aStoppedMirrorThatAnsweredIsNotBlamedForBeingStopped() {
        assertThat(explain(NOT_FOUND, container("exited", MirrorMode.PROXY))).isSameAs(NOT_FOUND);
    }

    @Test
    void whenTheEngineCouldNotSayTheFailureStands() {
        assertThat(explain(NO_ANSWER, null)).isSameAs(NO_ANSWER);
    }
}
