package dev.lok8s.lo.api;

import dev.lok8s.lo.events.CertsDirWritten;
import dev.lok8s.lo.events.EventMetadata;
import dev.lok8s.lo.events.LoEvent;
import dev.lok8s.lo.store.EventStore;
import dev.lok8s.lo.store.ExpectedVersion;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The event stream against slow clients, on the real HTTP server of the test JVM: raw sockets that ask
 * for a long replay and never read must not make the server buffer the log (heap stays bounded), must
 * not stall other requests, are capped in number, and release their slot once they disconnect.
 */
@QuarkusTest
@TestProfile(EventStreamLimitsTest.Limits.class)
class EventStreamLimitsTest {

    static final int EVENTS = 24_000;
    static final int MAX_REPLAY = 20_000;
    static final int MAX_SUBSCRIBERS = 5;
    static final int SLOW_CLIENTS = 4;
    /** Heap growth allowed while the slow clients are connected; the unbounded replay grew by hundreds of MB. */
    static final long HEAP_BOUND = 64L << 20;

    public static class Limits implements QuarkusTestProfile {
        static final Path DIR = Path.of("target", "lo-stream-store", Long.toString(System.currentTimeMillis()))
                .toAbsolutePath();

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("lo.state-dir", DIR.toString(), "quarkus.http.host-enabled", "true",
                    "quarkus.http.test-port", "0",
                    "lo.serve.stream.max-subscribers", Integer.toString(MAX_SUBSCRIBERS),
                    "lo.serve.stream.max-replay", Integer.toString(MAX_REPLAY));
        }
    }

    private static boolean seeded;

    @Inject
    EventStore store;

    @TestHTTPResource("/")
    URL root;

    @BeforeEach
    void seedOnce() {
        if (seeded) {
            return;
        }
        // ~4 KB per event, so a replay that is buffered instead of written shows in the heap
        List<String> files = new ArrayList<>();
        for (int f = 0; f < 12; f++) {
            files.add("hosts.d/registry-" + f + ".example.internal:5000/" + "x".repeat(250) + "/hosts.toml");
        }
        EventMetadata meta = EventMetadata.local(null, "stream test seed", "test");
        long t0 = System.nanoTime();
        for (int done = 0; done < EVENTS; done += 1000) {
            List<LoEvent> batch = new ArrayList<>(1000);
            for (int i = 0; i < 1000; i++) {
                batch.add(new CertsDirWritten("stream.dev", "stream", "/certs.d/" + (done + i), files));
            }
            store.append("project-stream", ExpectedVersion.ANY, batch, meta);
        }
        assertThat(store.headPosition()).isEqualTo(EVENTS);
        System.out.printf("EventStreamLimitsTest: seeded %d events in %d s%n", EVENTS, (System.nanoTime() - t0) / 1_000_000_000L);
        seeded = true;
    }

    @Test
    void nonReadingClientsKeepTheHeapBoundedOtherRequestsAnswerAndTheirSlotsComeBack() throws Exception {
        long before = heapAfterGc();
        System.out.printf("EventStreamLimitsTest: heap + direct memory before the slow clients: %d MB%n", before >> 20);
        List<Socket> slow = new ArrayList<>();
        try {
            for (int i = 0; i < SLOW_CLIENTS; i++) {
                slow.add(nonReadingStream("/api/events/stream?after=" + (EVENTS - MAX_REPLAY)));
            }
            // the old stream wrote the whole replay into the connection's buffers within seconds
            long worst = 0;
            long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (System.nanoTime() < until) {
                Thread.sleep(1000);
                worst = Math.max(worst, heapAfterGc() - before);
                System.out.printf("EventStreamLimitsTest: heap + direct memory growth with %d non-reading clients: %d MB%n",
                        SLOW_CLIENTS, worst >> 20);
                assertThat(worst).as("heap + direct memory growth with %d non-reading stream clients (bytes)", SLOW_CLIENTS)
                        .isLessThan(HEAP_BOUND);
            }

            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            HttpResponse<String> runs = http.send(HttpRequest.newBuilder(root.toURI().resolve("/api/runs"))
                    .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(runs.statusCode()).as("another request while slow clients are connected").isEqualTo(200);
            HttpResponse<String> history = http.send(HttpRequest.newBuilder(root.toURI().resolve("/api/history?limit=5"))
                    .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(history.statusCode()).isEqualTo(200);

            // one more slot is left; the one after it is refused with a problem
            Socket fifth = nonReadingStream("/api/events/stream");
            slow.add(fifth);
            // its status line comes after it took its slot: only then is the next one past the cap
            assertThat(statusOf(fifth)).as("the fifth stream").isEqualTo(200);
            String refused = answer(stream("/api/events/stream", "Connection: close\r\n"));
            assertThat(refused).as("the stream past the cap").startsWith("HTTP/1.1 503")
                    .contains("application/problem+json").contains("Retry-After")
                    .contains("/problems/too-many-streams").contains(MAX_SUBSCRIBERS + " clients");
        } finally {
            for (Socket s : slow) {
                s.close();
            }
        }
        // closed clients give their slots back: a new stream is accepted again, within a bounded wait
        long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        int status = 0;
        while (System.nanoTime() < until) {
            try (Socket probe = nonReadingStream("/api/events/stream")) {
                status = statusOf(probe);
            }
            if (status == 200) {
                break;
            }
            Thread.sleep(250);
        }
        assertThat(status).as("a stream is accepted once the slow clients disconnected").isEqualTo(200);
    }

    @Test
    void aReplayLongerThanTheLimitIsRefusedNamingWhereTheOlderEventsAre() throws Exception {
        String all = answer(stream("/api/events/stream?after=0", "Connection: close\r\n"));
        assertThat(all).as("after=0 on a log longer than the replay limit").startsWith("HTTP/1.1 400")
                .contains("application/problem+json").contains("\"parameter\":\"after\"")
                .contains(Integer.toString(MAX_REPLAY)).contains("/api/history");

        String header = answer(stream("/api/events/stream", "Last-Event-ID: 1\r\nConnection: close\r\n"));
        assertThat(header).startsWith("HTTP/1.1 400").contains("\"parameter\":\"Last-Event-ID\"");
    }

    // ---- helpers

    /** A stream request on a raw socket with a tiny receive buffer that is never read past the status line. */
    private Socket nonReadingStream(String path) throws IOException {
        return stream(path, "");
    }

    private Socket stream(String path, String extraHeaders) throws IOException {
        Socket s = new Socket();
        s.setReceiveBufferSize(4096);
        s.setSoTimeout(10_000);
        s.connect(new InetSocketAddress("127.0.0.1", root.getPort()), 5000);
        s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + root.getPort()
                + "\r\nAccept: text/event-stream\r\n" + extraHeaders + "\r\n").getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        return s;
    }

    /** At most 4,000 bytes of the answer (a stream that was not refused is cut there), then closes. */
    private static String answer(Socket s) throws IOException {
        try (s) {
            return new String(s.getInputStream().readNBytes(4000), StandardCharsets.UTF_8);
        }
    }

    /** Reads only "HTTP/1.1 NNN" from the socket. */
    private static int statusOf(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        byte[] line = in.readNBytes(12);
        String text = new String(line, StandardCharsets.US_ASCII);
        return text.startsWith("HTTP/1.1 ") ? Integer.parseInt(text.substring(9, 12)) : -1;
    }

    /**
     * Heap used after a GC, plus the direct memory of the JDK's buffer pool and Netty's own counter:
     * Netty copies pending writes out of the heap into direct buffers, so the heap alone would hide them.
     */
    private static long heapAfterGc() {
        System.gc();
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        long direct = ManagementFactory.getPlatformMXBeans(java.lang.management.BufferPoolMXBean.class).stream()
                .filter(pool -> pool.getName().equals("direct")).mapToLong(java.lang.management.BufferPoolMXBean::getMemoryUsed)
                .sum();
        long netty = Math.max(0, io.netty.util.internal.PlatformDependent.usedDirectMemory());
        return heap + direct + netty;
    }
}
