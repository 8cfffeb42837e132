package dev.lok8s.lo.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lok8s.lo.events.CertsDirWritten;
import dev.lok8s.lo.events.EventMetadata;
import dev.lok8s.lo.store.EventStore;
import dev.lok8s.lo.store.ExpectedVersion;
import dev.lok8s.lo.store.HistoryQuery;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
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
 * A log of large events (~900 kB each, as a long certs.d listing or error text makes them) served by
 * the real HTTP server of the test JVM: a page of history stops at its byte budget and says where to
 * go on; stream clients that never read hold at most a batch of about a megabyte each, are
 * disconnected after the stall timeout with their connection closed, and a client that reads gets
 * every event.
 */
@QuarkusTest
@TestProfile(LargeEventsTest.Profile.class)
class LargeEventsTest {

    static final int EVENTS = 60;
    static final int KB = 900;
    static final int SLOW_CLIENTS = 4;
    static final Duration STALL = Duration.ofSeconds(4);
    /** Growth allowed with the slow clients connected; a 200-event batch of these events is ~180 MB per client. */
    static final long MEMORY_BOUND = 48L << 20;

    public static class Profile implements QuarkusTestProfile {
        static final Path DIR = Path.of("target", "lo-large-events", Long.toString(System.currentTimeMillis()))
                .toAbsolutePath();

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("lo.state-dir", DIR.toString(), "quarkus.http.host-enabled", "true",
                    "quarkus.http.test-port", "0", "lo.serve.stream.stall-timeout", STALL.toSeconds() + "s");
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
        EventMetadata meta = EventMetadata.local(null, "large events seed", "test");
        for (int i = 0; i < EVENTS; i++) {
            List<String> files = new ArrayList<>(KB);
            for (int f = 0; f < KB; f++) {
                files.add("hosts.d/" + i + "-" + f + "/" + "x".repeat(1000));
            }
            store.append("project-large", ExpectedVersion.ANY,
                    List.of(new CertsDirWritten("large.dev", "large", "/certs.d/" + i, files)), meta);
        }
        assertThat(store.headPosition()).isEqualTo(EVENTS);
        seeded = true;
    }

    @Test
    void aPageOfHistoryEndsAtItsByteBudgetAndNamesWhereTheNextStarts() throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        List<Long> positions = new ArrayList<>();
        String before = "";
        int pages = 0;
        do {
            HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(root.toURI().resolve(
                    "/api/history?limit=10000" + before)).timeout(Duration.ofSeconds(60)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(response.statusCode()).isEqualTo(200);
            System.out.printf("LargeEventsTest: history page of %d bytes%n", response.body().length);
            assertThat((long) response.body().length).as("bytes of one page of history")
                    .isLessThan(HistoryQuery.PAGE_BYTES + (KB + 100) * 1024L);
            JsonNode page = new ObjectMapper().readTree(response.body());
            page.get("events").forEach(e -> positions.add(e.get("position").asLong()));
            before = page.get("next").isNull() ? null : "&before=" + page.get("next").asLong();
            pages++;
        } while (before != null && pages < 100);
        assertThat(pages).as("pages of 4 MiB for %d events of %d kB", EVENTS, KB).isGreaterThan(10);
        assertThat(positions).as("every event, once, newest first").hasSize(EVENTS).doesNotHaveDuplicates()
                .first().isEqualTo((long) EVENTS);
    }

    @Test
    void nonReadingStreamClientsHoldAtMostABatchAndAreClosedWhileAReaderGetsEveryEvent() throws Exception {
        long before = memoryAfterGc();
        List<Socket> slow = new ArrayList<>();
        try {
            for (int i = 0; i < SLOW_CLIENTS; i++) {
                slow.add(stream("/api/events/stream?after=0"));
            }
            long worst = 0;
            long until = System.nanoTime() + STALL.toNanos() - Duration.ofMillis(500).toNanos();
            while (System.nanoTime() < until) {
                Thread.sleep(500);
                worst = Math.max(worst, memoryAfterGc() - before);
            }
            System.out.printf("LargeEventsTest: memory growth with %d non-reading stream clients: %d MB%n",
                    SLOW_CLIENTS, worst >> 20);
            assertThat(worst).as("heap + direct memory growth with %d non-reading clients of %d events of %d kB",
                    SLOW_CLIENTS, EVENTS, KB).isLessThan(MEMORY_BOUND);

            // a client that reads gets every event, in order
            List<Long> ids = readEvents("/api/events/stream?after=0", EVENTS);
            assertThat(ids).hasSize(EVENTS);
            for (int i = 0; i < EVENTS; i++) {
                assertThat(ids.get(i)).isEqualTo(i + 1L);
            }

            // past the stall timeout the non-reading clients are disconnected: the connection ends
            for (Socket s : slow) {
                assertThat(endsWithin(s, STALL.multipliedBy(4))).as("the server closed a stalled stream").isTrue();
            }
        } finally {
            for (Socket s : slow) {
                s.close();
            }
        }
        long after = 0;
        long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        do {
            Thread.sleep(250);
            after = memoryAfterGc() - before;
        } while (after > (16L << 20) && System.nanoTime() < until);
        System.out.printf("LargeEventsTest: memory growth after the clients were closed: %d MB%n", after >> 20);
        assertThat(after).as("memory held once the stalled clients are gone").isLessThan(16L << 20);
    }

    // ---- helpers

    private Socket stream(String path) throws IOException {
        Socket s = new Socket();
        s.setReceiveBufferSize(4096);
        s.connect(new InetSocketAddress("127.0.0.1", root.getPort()), 5000);
        s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + root.getPort()
                + "\r\nAccept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        return s;
    }

    /** The ids of the first {@code count} events of a stream, read as a client does. */
    private List<Long> readEvents(String path, int count) throws IOException {
        List<Long> ids = new ArrayList<>();
        try (Socket s = stream(path)) {
            s.setSoTimeout(30_000);
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8),
                    1 << 20);
            for (String line = in.readLine(); line != null && ids.size() < count; line = in.readLine()) {
                if (line.startsWith("id:")) {
                    ids.add(Long.parseLong(line.substring(3).strip()));
                }
            }
        }
        return ids;
    }

    /** Reads what the socket still has until it ends (closed or reset by the server), within {@code wait}. */
    private static boolean endsWithin(Socket s, Duration wait) throws IOException {
        long until = System.nanoTime() + wait.toNanos();
        s.setSoTimeout(500);
        InputStream in = s.getInputStream();
        byte[] buffer = new byte[64 * 1024];
        while (System.nanoTime() < until) {
            try {
                if (in.read(buffer) < 0) {
                    return true;
                }
            } catch (java.net.SocketTimeoutException quiet) {
                // nothing yet
            } catch (SocketException reset) {
                return true;
            }
        }
        return false;
    }

    private static long memoryAfterGc() {
        System.gc();
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        long direct = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                .filter(pool -> pool.getName().equals("direct")).mapToLong(BufferPoolMXBean::getMemoryUsed).sum();
        long netty = Math.max(0, io.netty.util.internal.PlatformDependent.usedDirectMemory());
        return heap + direct + netty;
    }
}
