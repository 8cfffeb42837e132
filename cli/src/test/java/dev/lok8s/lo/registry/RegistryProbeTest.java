package dev.lok8s.lo.registry;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The probe's bare HTTP/1.1 request against loopback servers that answer what a registry might. */
class RegistryProbeTest {

    private final ExecutorService servers = Executors.newVirtualThreadPerTaskExecutor();
    private final AtomicReference<String> request = new AtomicReference<>();

    @AfterEach
    void stop() {
        servers.shutdownNow();
    }

    /** Answers one connection with the given bytes (null: reads the request and never answers). */
    private URI serveOnce(String answer) throws IOException {
        ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        servers.submit(() -> {
            try (server; Socket socket = server.accept()) {
                byte[] buffer = new byte[512];
                int read = socket.getInputStream().read(buffer);
                request.set(new String(buffer, 0, Math.max(read, 0), StandardCharsets.US_ASCII));
                if (answer == null) {
                    Thread.sleep(5_000);
                    return null;
                }
                OutputStream out = socket.getOutputStream();
                out.write(answer.getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
            return null;
        });
        return URI.create("http://127.0.0.1:" + server.getLocalPort() + "/v2/");
    }

    @Test
    void aRegistryAnswering200Or401IsUp() throws IOException {
        URI ok = serveOnce("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}");
        assertThat(RegistryProbe.probeOnce(ok, (String) null)).isEqualTo(new RegistryProbe.Answer(true, 200, null));
        assertThat(request.get()).startsWith("GET /v2/ HTTP/1.1\r\nHost: 127.0.0.1:" + ok.getPort() + "\r\n")
                .endsWith("\r\n\r\n");

        URI auth = serveOnce("HTTP/1.1 401 Unauthorized\r\nWww-Authenticate: Basic\r\n\r\n");
        assertThat(RegistryProbe.probeOnce(auth, (String) null).ok()).as("asks for credentials: up").isTrue();
    }

    @Test
    void anotherStatusIsReportedWithItsCode() throws IOException {
        URI unavailable = serveOnce("HTTP/1.1 503 Service Unavailable\r\n\r\n");
        assertThat(RegistryProbe.probeOnce(unavailable, (String) null))
                .isEqualTo(new RegistryProbe.Answer(false, 503, "HTTP 503"));
    }

    @Test
    void somethingThatIsNotHttpIsNotARegistry() throws IOException {
        URI garbage = serveOnce("SSH-2.0-OpenSSH_9.2\r\n");
        assertThat(RegistryProbe.probeOnce(garbage, (String) null).error()).startsWith("IOException: not an HTTP answer");
    }

    @Test
    void nobodyListeningAndNoAnswerEndQuickly() throws IOException {
        int closed;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = free.getLocalPort();
        }
        assertThat(RegistryProbe.probeOnce(URI.create("http://127.0.0.1:" + closed + "/v2/"), (String) null).error())
                .startsWith("ConnectException");
        URI silent = serveOnce(null);
        assertThat(RegistryProbe.probeOnce(silent, (String) null).error()).as("the read timeout")
                .startsWith("SocketTimeoutException");
    }

    @Test
    void theStatusLineIsBounded() {
        byte[] endless = "HTTP/1.1 200 ".concat("x".repeat(1_000)).getBytes(StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> RegistryProbe.statusLine(new ByteArrayInputStream(endless)))
                .hasMessageContaining("longer than 256 bytes");
    }

    /** Reads the request, then sends {@code answer} one byte every 200 ms (within the per-read timeout each time). */
    private URI trickle(String answer) throws IOException {
        ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        servers.submit(() -> {
            try (server; Socket socket = server.accept()) {
                socket.getInputStream().read(new byte[512]);
                OutputStream out = socket.getOutputStream();
                for (byte b : answer.getBytes(StandardCharsets.US_ASCII)) {
                    Thread.sleep(200);
                    out.write(b);
                    out.flush();
                }
            }
            return null;
        });
        return URI.create("http://127.0.0.1:" + server.getLocalPort() + "/v2/");
    }

    @Test
    void aStatusLineTrickledAByteAtATimeEndsAtTheExchangesDeadline() throws IOException {
        // 30 bytes at 200 ms each: 6 s, though no single read waits longer than 200 ms
        URI slow = trickle("HTTP/1.1 200 OK but very slowly\r\n\r\n");
        long start = System.nanoTime();
        RegistryProbe.Answer answer = RegistryProbe.probeOnce(slow, null, Duration.ofSeconds(1));
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(answer).isEqualTo(new RegistryProbe.Answer(false, 0, "no answer within 1000 ms"));
        assertThat(millis).as("ended by the 1 s deadline, not by the trickle's 6 s").isLessThan(3_000);
    }
}
