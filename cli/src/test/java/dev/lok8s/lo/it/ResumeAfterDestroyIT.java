package dev.lok8s.lo.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A provision halted at its cluster step, then {@code lo destroy}, then {@code lo provision}: the
 * interrupted run is resumed, but the steps it recorded as done whose effect the destroy undid (the
 * project network, its registries, the certs.d tree) are checked against the machine and done again,
 * so the provision converges instead of failing on the missing network at every retry.
 */
class ResumeAfterDestroyIT {

    static final String ID = "rad";
    static final String DOMAIN = "rad.lok8s.test";
    static final String NETWORK = "lotest-rad";
    static final String SHARED = "lotest-rad-shared";

    @RegisterExtension
    static final DockerCleanup DOCKER = DockerCleanup.forTest(ID);

    @TempDir
    static Path root;

    LoCli lo() {
        return LoCli.forTest(ID, root.resolve("state")).env("LO_PARALLELISM", "1").env("LO_MIRROR_WAIT", "1s");
    }

    @Test
    void aResumeRedoesTheStepsADestroyUndid() {
        Path dir = root.resolve("project");
        Path spec = CrashFixture.writeSpec(dir, "rad", DOMAIN, NETWORK, "10.213.164.0/24", SHARED, "10.213.163.0/24",
                "http://10.213.163.99:5000");
        String f = spec.toString();

        LoCli.Result crashed = lo().env("LO_TEST_CRASH", "cluster:rad@before-effect").run(dir, "provision", "-f", f);
        assertThat(crashed.exitCode()).as("halted before the cluster's effect:\n%s", crashed).isEqualTo(137);
        UUID interrupted = CrashResumeIT.runIdsIn(root.resolve("state")).getFirst();
        String shortId = interrupted.toString().substring(0, 8);

        LoCli.Result destroyed = lo().run(dir, "destroy", "-f", f);
        assertThat(destroyed.exitCode()).as("lo destroy:\n%s", destroyed).isZero();
        assertThat(TestDocker.networks("dev.lok8s.test=" + ID)).as("the destroy removed the project network")
                .doesNotContain(NETWORK);

        LoCli.Result resumed = lo().run(dir, "provision", "-f", f);
        assertThat(resumed.exitCode()).as("the provision after the destroy converges:\n%s", resumed).isZero();
        assertThat(resumed.stderr()).as(resumed.toString())
                .contains("resuming run " + shortId)
                .contains("network:" + NETWORK)
                .containsPattern("recorded done but undone on the machine")
                .doesNotContain("not found");
        assertThat(TestDocker.networks("dev.lok8s.test=" + ID)).as("networks after the resumed run")
                .contains(NETWORK, SHARED);
        assertThat(TestDocker.containers("dev.lok8s.test=" + ID)).as("registries after the resumed run")
                .contains("lotest-rad-registry-build", "lotest-rad-registry-cache", "lotest-rad-lok8s-registry-up");
        assertThat(TestDocker.containers("dev.lok8s.test.id=" + ID)).as("the cluster's node")
                .containsExactly("rad-control-plane");

        List<String> segments = CrashResumeIT.stepsOf(root.resolve("state"), interrupted);
        assertThat(segments).as("the run: started, then resumed once").hasSize(2);
        assertThat(segments.get(1)).as("the resume redid the undone steps")
                .contains("network:" + NETWORK, "registry:lotest-rad-registry-build", "cluster:rad",
                        "connect:" + SHARED);

        // Converged: one more provision changes nothing and resumes nothing.
        LoCli.Result again = lo().run(dir, "provision", "-f", f);
        assertThat(again.exitCode()).as(again.toString()).isZero();
        assertThat(again.stderr()).doesNotContain("resuming run");
    }
}
