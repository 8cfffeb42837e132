package dev.lok8s.lo.http;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static dev.lok8s.lo.http.RawPeer.ascii;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link Http1Exchange} against a peer written byte by byte on a loopback socket: what an honest registry
 * sends is read as sent, and a peer that breaks HTTP or sends without end is cut at lo's bounds.
 */
class Http1ExchangeTest {

    /** What the peer does with one accepted connection (after the request's head is read). */
    interface Peer {
        void answer(OutputStream out) throws IOException, InterruptedException;
    }

    private ServerSocket server;
    private volatile Peer peer;
    private final AtomicLong written = new AtomicLong();

    @BeforeEach
    void start() throws IOException {
        server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    Thread.ofVirtual().start(() -> {
                        try (s) {
                            InputStream in = s.getInputStream();
                            int state = 0;
                            while (state < 4) { // to the blank line after the request's headers
                                int c = in.read();
                                if (c < 0) {
                                    return;
                                }
                                state = (c == '\r' || c == '\n') ? state + 1 : 0;
                            }
                            peer.answer(new CountingOut(s.getOutputStream()));
                        } catch (IOException | InterruptedException e) {
                            // the client went away: what the test checks
                        }
                    });
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    @AfterEach
    void stop() throws IOException {
        server.close();
    }

    private Http1Exchange get(Duration responseTimeout) throws IOException {
        return Http1Exchange.open("GET", URI.create("http://127.0.0.1:" + server.getLocalPort() + "/v2/a/blobs/sha256:00"),
                "test", "*/*", Duration.ofSeconds(2), responseTimeout);
    }

    @Test
    void aBodyWithContentLengthIsReadToThatLengthAndNoFurther() throws Exception {
        peer = out -> out.write(ascii("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Type: x\r\n\r\nhelloEXTRA"));
        try (Http1Exchange get = get(Duration.ofSeconds(5))) {
            assertThat(get.status()).isEqualTo(200);
            assertThat(get.contentLength()).isEqualTo(5);
            assertThat(get.header("content-type")).isEqualTo("x");
            assertThat(new String(get.body().readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("hello");
        }
    }

    @Test
    void aChunkedBodyIsDechunked() throws Exception {
        peer = out -> out.write(ascii("HTTP/1.1 404 Not Found\r\ntransfer-encoding: chunked\r\n\r\n"
                + "3;ext=1\r\nabc\r\n10\r\n0123456789abcdef\r\n0\r\nTrailer: x\r\n\r\n"));
        try (Http1Exchange get = get(Duration.ofSeconds(5))) {
            assertThat(get.status()).isEqualTo(404);
            assertThat(get.contentLength()).isEqualTo(-1);
            assertThat(new String(get.body().readAllBytes(), StandardCharsets.US_ASCII))
                    .isEqualTo("abc0123456789abcdef");
        }
    }

    @Test
    void headersWithoutEndAreCutAtTheHeadCap() {
        peer = out -> {
            out.write(ascii("HTTP/1.1 200 OK\r\n"));
            for (int i = 0; i < 1_000_000; i++) {
                out.write(ascii("X-Filler: " + "y".repeat(100) + "\r\n"));
            }
        };
        long start = System.nanoTime();
        assertThatThrownBy(() -> get(Duration.ofSeconds(30)))
                .isInstanceOf(Http1Exchange.ProtocolException.class)
                .hasMessage("sent more than " + Http1Exchange.MAX_HEAD_BYTES + " bytes of status line and headers");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("cut at the cap, not at the timeout")
                .isLessThan(Duration.ofSeconds(10));
        assertThat(written.get()).as("the peer could write no more than the socket buffers held past the cap")
                .isLessThan(16L * 1024 * 1024);
    }

    @Test
    void aHeadTricklingInIsCutAtTheResponseTimeoutForAllOfIt() {
        peer = out -> {
            out.write(ascii("HTTP/1.1 200 OK\r\n"));
            for (int i = 0; i < 600; i++) { // each byte well within the timeout, all of them far past it
                out.write('X');
                out.flush();
                Thread.sleep(100);
            }
        };
        long start = System.nanoTime();
        assertThatThrownBy(() -> get(Duration.ofSeconds(1))).isInstanceOf(SocketTimeoutException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void aPeerThatNeverAnswersTimesOut() {
        peer = out -> Thread.sleep(60_000);
        long start = System.nanoTime();
        assertThatThrownBy(() -> get(Duration.ofMillis(500))).isInstanceOf(SocketTimeoutException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void somethingOtherThanHttpIsRefused() {
        peer = out -> out.write(ascii("SSH-2.0-OpenSSH_9.2\r\n\r\n"));
        assertThatThrownBy(() -> get(Duration.ofSeconds(5))).isInstanceOf(Http1Exchange.ProtocolException.class)
                .hasMessage("answered with something other than an HTTP/1.x status line");
    }

    @Test
    void twoDifferentContentLengthsAreRefused() {
        peer = out -> out.write(ascii("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!"));
        assertThatThrownBy(() -> get(Duration.ofSeconds(5))).isInstanceOf(Http1Exchange.ProtocolException.class)
                .hasMessageContaining("Content-Length");
    }

    @Test
    void aChunkSizeLineWithoutEndIsCutAtItsCap() throws Exception {
        peer = out -> {
            out.write(ascii("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"));
            for (int i = 0; i < 100_000; i++) {
                out.write(ascii("0000000000"));
            }
        };
        try (Http1Exchange get = get(Duration.ofSeconds(5))) {
            assertThatThrownBy(() -> get.body().readAllBytes()).isInstanceOf(Http1Exchange.ProtocolException.class)
                    .hasMessage("sent a chunk line longer than " + Http1Exchange.MAX_CHUNK_LINE + " bytes");
        }
    }

    @Test
    void aChunkLongerThanItsSizeIsRefused() throws Exception {
        peer = out -> out.write(ascii("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcdef\r\n0\r\n\r\n"));
        try (Http1Exchange get = get(Duration.ofSeconds(5))) {
            assertThatThrownBy(() -> get.body().readAllBytes()).isInstanceOf(Http1Exchange.ProtocolException.class)
                    .hasMessage("sent a chunk longer than its size");
        }
    }

    @Test
    void closingTheBodyClosesTheConnectionSoABlockedReadEnds() throws Exception {
        peer = out -> {
            out.write(ascii("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nab"));
            out.flush();
            Thread.sleep(60_000);
        };
        try (Http1Exchange get = get(Duration.ofSeconds(5))) {
            InputStream body = get.body();
            assertThat(body.readNBytes(2)).isEqualTo(ascii("ab"));
            Thread.ofVirtual().start(() -> {
                try {
                    Thread.sleep(300);
                    body.close();
                } catch (InterruptedException | IOException ignored) {
                    // the read below then hangs, which the bound on the test reports
                }
            });
            long start = System.nanoTime();
            assertThatThrownBy(body::read).isInstanceOf(IOException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        }
    }

    @Test
    void aHeadAnswerHasNoBodyWhateverItsContentLength() throws Exception {
        peer = out -> {
            out.write(ascii("HTTP/1.1 200 OK\r\nContent-Length: 100\r\nratelimit-limit: 100;w=21600\r\n\r\n"));
            out.flush();
            Thread.sleep(60_000); // an honest HEAD answer: the connection stays open, nothing follows
        };
        try (Http1Exchange head = Http1Exchange.open("HEAD",
                URI.create("http://127.0.0.1:" + server.getLocalPort() + "/v2/r/manifests/latest"),
                Map.of("Accept", "x"), Duration.ofSeconds(2), Duration.ofSeconds(30))) {
            long start = System.nanoTime();
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.firstHeader("RateLimit-Limit")).isEqualTo("100;w=21600");
            assertThat(head.readAtMost(1024)).as("no body read for a HEAD").isEmpty();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        }
    }

    @Test
    void theRequestCarriesItsHeadersAfterTheHostAndClosesTheConnection() throws Exception {
        try (RawPeer raw = RawPeer.start((head, out) -> out.write(ascii("HTTP/1.1 204 No Content\r\n\r\n")))) {
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("User-Agent", "lo");
            headers.put("Authorization", "Bearer abc");
            try (Http1Exchange get = Http1Exchange.open("GET", URI.create(raw.url() + "/token?service=a%20b"), headers,
                    Duration.ofSeconds(2), Duration.ofSeconds(5))) {
                assertThat(get.status()).isEqualTo(204);
            }
            assertThat(raw.requests()).singleElement().isEqualTo("GET /token?service=a%20b HTTP/1.1\r\nHost: "
                    + raw.url().substring("http://".length()) + "\r\nUser-Agent: lo\r\nAuthorization: Bearer abc\r\n"
                    + "Connection: close\r\n\r\n");
        }
    }

    @Test
    void aHeaderWithALineBreakIsNotSent() {
        assertThatThrownBy(() -> Http1Exchange.open("GET", URI.create("http://127.0.0.1:" + server.getLocalPort() + "/"),
                Map.of("Authorization", "Bearer a\r\nX-Injected: 1"), Duration.ofSeconds(2), Duration.ofSeconds(5)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aBodyReadWholeStopsOneByteAfterItsCap() throws Exception {
        peer = out -> out.write(ascii("HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\n" + "a".repeat(5000)));
        try (Http1Exchange get = get(Duration.ofSeconds(5))) {
            assertThat(get.readAtMost(100)).hasSize(101);
        }
    }

    @Test
    void aBodyReadWholeThatTricklesIsCutAtTheExchangesDeadline() throws Exception {
        peer = out -> {
            out.write(ascii("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n"));
            for (int i = 0; i < 1000; i++) { // each byte well within the timeout, all of them far past it
                out.write('a');
                out.flush();
                Thread.sleep(100);
            }
        };
        try (Http1Exchange get = get(Duration.ofSeconds(1))) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> get.readAtMost(64 * 1024)).isInstanceOf(SocketTimeoutException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        }
    }

    /** Counts what the peer managed to write. */
    private final class CountingOut extends OutputStream {
        private final OutputStream out;

        CountingOut(OutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            written.incrementAndGet();
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            written.addAndGet(len);
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }
    }
}
