package dev.lok8s.lo.status;

import dev.lok8s.lo.failure.Reason;
import dev.lok8s.lo.plan.Labels;
import dev.lok8s.lo.plan.MirrorMode;
import dev.lok8s.lo.status.DoctorReport.Finding;
import dev.lok8s.lo.status.RegistryStatusReport.RegistryStatus;
import dev.lok8s.lo.upstream.LoginState;
import dev.lok8s.lo.upstream.MirrorUpstream;
import org.junit.jupiter.api.Test;

import static dev.lok8s.lo.status.StatusFixture.DOCKER_MIRROR;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** A mirror's mode and upstream login in the status report and the doctor's findings. */
class MirrorUpstreamStatusTest {

    static RegistryStatus mirror(RegistryStatusReport report) {
        return report.all().stream().filter(r -> r.container().equals(DOCKER_MIRROR)).findFirst().orElseThrow();
    }

    static MirrorUpstream upstream(MirrorMode mode, LoginState state, Reason problem) {
        return new MirrorUpstream(DOCKER_MIRROR, "https://registry-1.docker.io", mode, null, null, state, problem,
                mode == MirrorMode.OFFLINE ? "ConnectException" : null);
    }

    @Test
    void anOfflineMirrorIsShownServingItsCache() {
        StatusFixture fixture = new StatusFixture().label(DOCKER_MIRROR, Labels.MIRROR_MODE, "offline");
        RegistryStatus status = mirror(fixture.report());
        assertThat(status.mode()).isEqualTo("offline");
        assertThat(status.display()).isEqualTo("Running (offline: serving its cache)");
        assertThat(status.upstreamLogin()).as("not looked up").isNull();
        assertThat(mirror(new StatusFixture().report()).mode()).as("no label: proxy").isEqualTo("proxy");
        assertThat(new StatusFixture().report().all().stream().filter(r -> !r.container().startsWith("lok8s-registry-io"))
                .map(RegistryStatus::mode)).as("build and cache have no mode").containsOnlyNulls();
    }

    @Test
    void theDoctorSaysWhenAnOfflineMirrorsUpstreamAnswersAgain() {
        StatusFixture fixture = new StatusFixture().label(DOCKER_MIRROR, Labels.MIRROR_MODE, "offline");
        fixture.upstreams.put(DOCKER_MIRROR, upstream(MirrorMode.OFFLINE, LoginState.ANONYMOUS, null));
        assertThat(fixture.doctor().healthy()).as("offline while the upstream is away is as it should be").isTrue();
        fixture.upstreams.put(DOCKER_MIRROR, upstream(MirrorMode.PROXY, LoginState.ANONYMOUS, null));
        assertThat(fixture.doctor().findings()).extracting(Finding::check, Finding::fix)
                .containsExactly(tuple("mirror-offline", "lo registry up lok8s.dev"));
    }

    @Test
    void aLoginProblemIsOneFindingWithItsFix() {
        StatusFixture fixture = new StatusFixture();
        Reason missing = Reason.of("upstream registry-1.docker.io asks for a login and the Docker configuration has "
                + "none for https://index.docker.io/v1/", "docker login");
        fixture.upstreams.put(DOCKER_MIRROR, upstream(MirrorMode.PROXY, LoginState.MISSING, missing));
        RegistryStatus status = mirror(fixture.report());
        assertThat(status.upstreamLogin()).isEqualTo("missing");
        assertThat(status.upstreamProblem()).isEqualTo(missing);
        assertThat(fixture.doctor().findings()).extracting(Finding::check, Finding::message, Finding::fix)
                .containsExactly(tuple("upstream-login", "mirror " + DOCKER_MIRROR + ": " + missing.message(),
                        "docker login"));
    }
}
