package dev.lok8s.lo.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two {@code lo registry up} processes of two projects on one shared network, the second having read the
 * shared network's stream before the first wrote to it: the second's appends expect the version it read,
 * find the stream moved, and record only what the first did not. Both end well; the stream holds each fact
 * once, at consecutive versions. (With appends that expect any version, the shared mirror is recorded twice.)
 */
class SharedStreamRaceIT {

    static final String ID = "ssr";
    static final String SHARED = "lotest-ssr-shared";
    static final String MIRROR = "lotest-ssr-lok8s-registry-up";

    @RegisterExtension
    static final DockerCleanup DOCKER = DockerCleanup.forTest(ID);

    @TempDir
    static Path root;

    @Test
    void aRunThatReadTheSharedStreamBeforeTheOtherWroteRecordsOnlyWhatTheOtherDidNot() throws Exception {
        LoCli lo = LoCli.forTest(ID, root.resolve("state")).env("LO_MIRROR_WAIT", "1s");
        Path dirA = root.resolve("a");
        Path dirB = root.resolve("b");
        // An upstream nobody answers on: both runs start the mirror in the same (offline) mode.
        Path specA = CrashFixture.writeSpec(dirA, "ssr-a", "ssr-a.lok8s.test", "lotest-ssr-a", "10.213.191.0/24",
                SHARED, "10.213.190.0/24", "http://10.213.190.99:5000");
        Path specB = CrashFixture.writeSpec(dirB, "ssr-b", "ssr-b.lok8s.test", "lotest-ssr-b", "10.213.192.0/24",
                SHARED, "10.213.190.0/24", "http://10.213.190.99:5000");
        Path release = root.resolve("release-b");
        Path reached = root.resolve("release-b.reached");

        Process b = lo.env("LO_TEST_PAUSE", "known-state-read@" + release).start(dirB, "registry", "up", "-f",
                specB.toString());
        lo.env("LO_TEST_PAUSE", null);
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (!Files.exists(reached) && b.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(reached).as("b read the streams and waits").exists();
        LoCli.Result ra = lo.run(dirA, "registry", "up", "-f", specA.toString());
        Files.writeString(release, "go");
        LoCli.Result rb = lo.await(b);
        assertThat(ra.exitCode()).as("project a:\n%s", ra).isZero();
        assertThat(rb.exitCode()).as("project b:\n%s", rb).isZero();

        assertThat(TestDocker.containers("dev.lok8s.test=" + ID).stream().filter(n -> n.contains("registry-up")))
                .as("one mirror container").containsExactly(MIRROR);
        List<CrashFixture.Event> stream = CrashFixture.events(root.resolve("state")).stream()
                .filter(e -> ("network-" + SHARED).equals(e.stream())).toList();
        assertThat(stream).extracting(CrashFixture.Event::version).as("versions of the shared network's stream")
                .containsExactlyElementsOf(IntStream.rangeClosed(1, stream.size()).boxed().toList());
        assertThat(stream.stream().map(e -> e.type() + " " + e.text("project")))
                .as("each fact once: the network created by a and adopted by b, the mirror started once")
                .containsExactly("NetworkCreated ssr-a", "MirrorStarted ssr-a", "NetworkAdopted ssr-b");
    }
}
