package dev.lok8s.lo.docker;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UnixSocketGetTest {

    @TempDir
    Path dir;

    private static UnixSocketGet.Answer read(String raw, int bound) throws IOException {
        return UnixSocketGet.read(new ByteArrayInputStream(raw.getBytes(StandardCharsets.ISO_8859_1)), bound);
    }

    @Test
    void a_body_by_content_length() throws Exception {
        var answer = read("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 7\r\n\r\n[1,2,3]trailing", 100);

        assertThat(answer.status()).isEqualTo(200);
        assertThat(new String(answer.body(), StandardCharsets.UTF_8)).isEqualTo("[1,2,3]");
    }

    @Test
    void a_chunked_body_is_joined() throws Exception {
        var answer = read("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\n[{\"a\r\n5;ext=1\r\n\":1}]\r\n0\r\n\r\n", 100);

        assertThat(new String(answer.body(), StandardCharsets.UTF_8)).isEqualTo("[{\"a\":1}]");
    }

    @Test
    void a_body_to_the_end_and_a_not_found() throws Exception {
        assertThat(new String(read("HTTP/1.0 200 OK\r\n\r\n{}", 100).body(), StandardCharsets.UTF_8)).isEqualTo("{}");
        assertThat(read("HTTP/1.1 404 Not Found\r\nContent-Length: 2\r\n\r\n{}", 100).status()).isEqualTo(404);
    }

    @Test
    void a_body_is_cut_at_the_bound() throws Exception {
        assertThat(read("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n0123456789", 4).body()).hasSize(4);
        assertThat(read("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n6\r\n012345\r\n6\r\n6789ab\r\n0\r\n\r\n", 8).body())
                .hasSize(8);
    }

    @Test
    void a_broken_answer_is_an_io_failure() {
        assertThatThrownBy(() -> read("SSH-2.0-OpenSSH\r\n\r\n", 100)).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> read("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n0123", 100)).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> read("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 100)).isInstanceOf(IOException.class);
    }

    @Test
    void one_request_over_a_real_unix_socket() throws Exception {
        Path socket = dir.resolve("engine.sock");
        AtomicReference<String> asked = new AtomicReference<>();
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            Thread.ofVirtual().start(() -> {
                try (SocketChannel c = server.accept()) {
                    ByteBuffer in = ByteBuffer.allocate(4096);
                    StringBuilder request = new StringBuilder();
                    while (!request.toString().contains("\r\n\r\n") && c.read(in) > 0) {
                        request.append(new String(in.array(), 0, in.position(), StandardCharsets.US_ASCII));
                        in.clear();
                    }
                    asked.set(request.toString());
                    c.write(ByteBuffer.wrap("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n[]".getBytes(StandardCharsets.US_ASCII)));
                } catch (IOException e) {
                    asked.set("failed: " + e);
                }
            });

            var answer = new UnixSocketGet(socket, Duration.ofSeconds(5)).get("/networks?filters=%7B%7D", 100);

            assertThat(answer.status()).isEqualTo(200);
            assertThat(new String(answer.body(), StandardCharsets.UTF_8)).isEqualTo("[]");
            assertThat(asked.get()).startsWith("GET /networks?filters=%7B%7D HTTP/1.1\r\n").contains("Host: docker\r\n", "Connection: close\r\n");
        }
    }

    @Test
    void an_engine_that_never_answers_times_out() throws Exception {
        Path socket = dir.resolve("silent.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            long start = System.nanoTime();
            assertThatThrownBy(() -> new UnixSocketGet(socket, Duration.ofMillis(300)).get("/networks", 100))
                    .isInstanceOf(java.net.SocketTimeoutException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        }
    }

    @Test
    void no_socket_is_an_io_failure_and_a_bad_path_is_refused() {
        assertThatThrownBy(() -> new UnixSocketGet(dir.resolve("none.sock"), Duration.ofSeconds(1)).get("/networks", 100))
                .isInstanceOf(IOException.class);
        assertThatThrownBy(() -> new UnixSocketGet(dir.resolve("none.sock"), Duration.ofSeconds(1)).get("/x HTTP/1.1\r\nHost: y", 100))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
