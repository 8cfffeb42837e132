package dev.lok8s.lo.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two projects provisioned at the same moment, both needing the same shared network and mirror:
 * both succeed, Docker ends with one network and one mirror container, and the log says one
 * project created the network and the other adopted it.
 */
class ConcurrentProvisionIT {

    static final String ID = "crc";
    static final String SHARED = "lotest-crc-shared";
    static final String MIRROR = "lotest-crc-lok8s-registry-up";

    @RegisterExtension
    static final DockerCleanup DOCKER = DockerCleanup.forTest(ID);

    @TempDir
    static Path root;

    @Test
    void twoProjectsShareOneNetworkAndOneMirror() {
        LoCli lo = LoCli.forTest(ID, root.resolve("state")).env("LO_MIRROR_WAIT", "1s");
        Path dirA = root.resolve("a");
        Path dirB = root.resolve("b");
        // The mirror's upstream is an address of the shared subnet nobody has: the mirror restarts until it answers.
        Path specA = CrashFixture.writeSpec(dirA, "crc-a", "crc-a.lok8s.test", "lotest-crc-a", "10.213.159.0/24",
                SHARED, "10.213.158.0/24", "http://10.213.158.99:5000");
        Path specB = CrashFixture.writeSpec(dirB, "crc-b", "crc-b.lok8s.test", "lotest-crc-b", "10.213.160.0/24",
                SHARED, "10.213.158.0/24", "http://10.213.158.99:5000");
        // Both processes start before either has touched the store: their JVM start-up overlaps fully.
        Process a = lo.start(dirA, "provision", "-f", specA.toString());
        Process b = lo.start(dirB, "provision", "-f", specB.toString());
        LoCli.Result ra = lo.await(a);
        LoCli.Result rb = lo.await(b);
        assertThat(ra.exitCode()).as("project a:\n%s", ra).isZero();
        assertThat(rb.exitCode()).as("project b:\n%s", rb).isZero();

        assertThat(TestDocker.lines(TestDocker.docker("network", "ls", "--filter", "label=dev.lok8s.test=" + ID,
                "--format", "{{.Name}}")).stream().filter(SHARED::equals)).as("one shared network").hasSize(1);
        assertThat(TestDocker.containers("dev.lok8s.test=" + ID).stream().filter(n -> n.contains("registry-up")))
                .as("one mirror container").containsExactly(MIRROR);
        for (String node : List.of("crc-a-control-plane", "crc-b-control-plane")) {
            assertThat(TestDocker.docker("inspect", "--format",
                    "{{range $k, $v := .NetworkSettings.Networks}}{{$k}} {{end}}", node))
                    .as("networks of %s", node).contains(SHARED);
        }

        List<CrashFixture.Event> events = CrashFixture.events(root.resolve("state"));
        List<String> sharedNetworkEvents = events.stream()
                .filter(e -> SHARED.equals(e.text("network")) && e.type().startsWith("Network"))
                .map(e -> e.type() + " by " + e.text("project")).toList();
        assertThat(sharedNetworkEvents).as("shared network events of both runs").hasSize(2)
                .anyMatch(e -> e.startsWith("NetworkCreated by ")).anyMatch(e -> e.startsWith("NetworkAdopted by "));
        assertThat(sharedNetworkEvents.stream().map(e -> e.substring(e.indexOf(" by ")))).as("one per project")
                .containsExactlyInAnyOrder(" by crc-a", " by crc-b");
        assertThat(events.stream().filter(e -> e.type().equals("StepCompleted")
                && ("network:" + SHARED).equals(e.text("stepId"))).map(e -> e.text("outcome")))
                .as("the network step's outcomes").containsExactlyInAnyOrder("created", "adopted");
        assertThat(events.stream().filter(e -> e.type().equals("RunCompleted")).count()).as("both runs completed")
                .isEqualTo(2);
        List<CrashFixture.Event> stream = events.stream().filter(e -> ("network-" + SHARED).equals(e.stream())).toList();
        assertThat(stream).extracting(CrashFixture.Event::version).as("versions of the shared network's stream")
                .containsExactlyElementsOf(IntStream.rangeClosed(1, stream.size()).boxed().toList());
        assertThat(stream.stream().filter(e -> e.type().equals("MirrorStarted")).map(e -> e.text("container")))
                .as("the shared mirror recorded once").containsExactly(MIRROR);
    }
}
