package dev.lok8s.lo.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Docker Engine goes away in the middle of a run. The real engine is shared, so lo talks to it
 * through a unix-socket proxy this test owns (DOCKER_HOST), and the proxy is stopped while the
 * cluster step runs: lo says it cannot reach the engine, exits 3 and records RunFailed; once the
 * proxy is back, {@code lo provision} resumes the run, adopts the cluster the step had created,
 * and completes.
 */
class CrashEngineIT {

    static final String ID = "cre";
    static final String DOMAIN = "cre.lok8s.test";

    @RegisterExtension
    static final DockerCleanup DOCKER = DockerCleanup.forTest(ID);

    @TempDir
    static Path root;

    @Test
    void engineGoneMidRunFailsClearlyAndTheRunResumesOnceItIsBack() throws Exception {
        Path socket = root.resolve("docker.sock");
        // kind creates the nodes, then takes a while: the engine disappears before lo looks at them.
        Path slowKind = root.resolve("slow-kind");
        Files.writeString(slowKind, """
                #!/usr/bin/env bash
                if [[ "$1 $2" == "create cluster" ]]; then %s "$@"; rc=$?; sleep 8; exit $rc; fi
                exec %s "$@"
                """.formatted(LoCli.repoRoot().resolve("src/test/kind/kind"), LoCli.repoRoot().resolve("src/test/kind/kind")));
        Files.setPosixFilePermissions(slowKind, PosixFilePermissions.fromString("rwxr-xr-x"));
        LoCli lo = LoCli.forTest(ID, root.resolve("state")).env("DOCKER_HOST", "unix://" + socket)
                .env("LO_KIND_PATH", slowKind.toString()).env("LO_PARALLELISM", "1").env("LO_MIRROR_WAIT", "1s");
        Path dir = root.resolve("project");
        Path spec = CrashFixture.writeSpec(dir, "cre", DOMAIN, "lotest-cre", "10.213.162.0/24", null, null,
                "http://10.213.162.99:5000");

        LoCli.Result failed;
        try (SocketProxy proxy = SocketProxy.start(socket, Path.of("/var/run/docker.sock"))) {
            Process run = lo.start(dir, "provision", "-f", spec.toString());
            var watch = new CrashFixture.StderrWatch(run);
            watch.await(l -> l.contains("Nodes ready: cre-control-plane"), 180);
            proxy.close();
            failed = lo.await(run);
            failed = new LoCli.Result(failed.exitCode(), failed.stdout(), watch.seen() + failed.stderr());
        }
        assertThat(failed.exitCode()).as("lo when the engine went away:\n%s", failed).isEqualTo(3);
        assertThat(failed.stderr()).as("a clear error")
                .contains("error: cannot reach the Docker Engine at unix://" + socket)
                .contains("start it (e.g. dockerd) or point DOCKER_HOST at a running engine")
                .containsPattern("run [0-9a-f]{8} failed at cluster:cre; fix the cause and rerun lo provision");
        List<CrashFixture.Event> events = CrashFixture.events(root.resolve("state"));
        CrashFixture.Event runFailed = events.stream().filter(e -> e.type().equals("RunFailed")).findFirst()
                .orElseThrow(() -> new AssertionError("no RunFailed recorded"));
        assertThat(runFailed.text("step")).isEqualTo("cluster:cre");
        assertThat(runFailed.text("error")).contains("cannot reach the Docker Engine");

        LoCli.Result resumed;
        try (SocketProxy ignored = SocketProxy.start(socket, Path.of("/var/run/docker.sock"))) {
            resumed = lo.run(dir, "provision", "-f", spec.toString());
        }
        assertThat(resumed.exitCode()).as("provision once the engine is back:\n%s", resumed).isZero();
        assertThat(resumed.stderr()).contains("resuming run " + runFailed.runId().toString().substring(0, 8));
        List<CrashFixture.Event> run = CrashFixture.events(root.resolve("state")).stream()
                .filter(e -> e.stream().equals("run-" + runFailed.runId())).toList();
        assertThat(run.stream().map(CrashFixture.Event::type)).as("the run's stream")
                .containsSubsequence("RunStarted", "RunFailed", "RunResumed", "RunCompleted");
        assertThat(run.stream().filter(e -> e.type().equals("StepCompleted") && "cluster:cre".equals(e.text("stepId")))
                .map(e -> e.text("outcome"))).as("the cluster kind had made is adopted, not made again")
                .containsExactly("adopted");
        assertThat(TestDocker.containers("dev.lok8s.test.id=" + ID)).containsExactly("cre-control-plane");
        assertThat(TestDocker.containers("dev.lok8s.test=" + ID)).containsExactlyInAnyOrder(
                "lotest-cre-registry-build", "lotest-cre-registry-cache", "lotest-cre-registry-up");
    }

    /** Forwards a unix socket to another; closing it removes the socket and cuts every connection. */
    static final class SocketProxy implements AutoCloseable {
        private final Path socket;
        private final ServerSocketChannel server;
        private final Set<SocketChannel> open = ConcurrentHashMap.newKeySet();

        private SocketProxy(Path socket, ServerSocketChannel server) {
            this.socket = socket;
            this.server = server;
        }

        static SocketProxy start(Path socket, Path target) throws IOException {
            Files.deleteIfExists(socket);
            ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(socket));
            SocketProxy proxy = new SocketProxy(socket, server);
            Thread.ofVirtual().start(() -> {
                while (server.isOpen()) {
                    try {
                        SocketChannel client = server.accept();
                        SocketChannel engine = SocketChannel.open(UnixDomainSocketAddress.of(target));
                        proxy.open.add(client);
                        proxy.open.add(engine);
                        Thread.ofVirtual().start(() -> pump(client, engine));
                        Thread.ofVirtual().start(() -> pump(engine, client));
                    } catch (IOException e) {
                        return; // closed
                    }
                }
            });
            return proxy;
        }

        private static void pump(SocketChannel from, SocketChannel to) {
            ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
            try {
                while (from.read(buffer) >= 0) {
                    buffer.flip();
                    while (buffer.hasRemaining()) {
                        to.write(buffer);
                    }
                    buffer.clear();
                }
                to.shutdownOutput();
            } catch (IOException e) {
                // one side went away: the other is closed with the proxy or by its peer
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
            Files.deleteIfExists(socket);
            for (SocketChannel channel : open) {
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // already closed
                }
            }
        }
    }
}
