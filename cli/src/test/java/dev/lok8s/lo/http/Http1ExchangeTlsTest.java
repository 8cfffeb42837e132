package dev.lok8s.lo.http;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static dev.lok8s.lo.http.RawPeer.ascii;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link Http1Exchange} over TLS against a loopback TLS peer whose self-signed certificate (made by the
 * JDK's keytool) the client is told to trust: an answer is read as over plain HTTP, a certificate for
 * another name is refused (host name verification is on), and a peer that never finishes the handshake
 * is cut at the response timeout.
 */
class Http1ExchangeTlsTest {

    private static final char[] PASSWORD = "changeit".toCharArray();

    @TempDir
    static Path dir;

    private static KeyStore store(String name, String san) throws Exception {
        Path file = dir.resolve(name + ".p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-keyalg", "EC", "-groupname", "secp256r1", "-alias", "peer", "-keystore", file.toString(),
                "-storetype", "PKCS12", "-storepass", new String(PASSWORD), "-dname", "CN=" + name, "-ext", "SAN=" + san,
                "-validity", "2").redirectErrorStream(true).start();
        keytool.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).as("keytool ended").isTrue();
        assertThat(keytool.exitValue()).as("keytool's exit code").isZero();
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, PASSWORD);
        }
        return store;
    }

    private static KeyStore loopback;
    private static KeyStore otherName;

    @BeforeAll
    static void certificates() throws Exception {
        loopback = store("loopback", "ip:127.0.0.1");
        otherName = store("other", "dns:registry.other.example");
    }

    /** A client context trusting exactly {@code store}'s certificate. */
    private static SSLContext trusting(KeyStore store) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("peer", store.getCertificate("peer"));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }

    /** A TLS peer serving {@code store}'s certificate that answers every request with {@code answer}. */
    private static SSLServerSocket serve(KeyStore store, String answer) throws Exception {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, PASSWORD);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), null, null);
        SSLServerSocket server = (SSLServerSocket) context.getServerSocketFactory().createServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                try {
                    SSLSocket s = (SSLSocket) server.accept();
                    Thread.ofVirtual().start(() -> {
                        try (s) {
                            InputStream in = s.getInputStream();
                            for (int state = 0; state < 4; ) {
                                int c = in.read();
                                if (c < 0) {
                                    return;
                                }
                                state = (c == '\r' || c == '\n') ? state + 1 : 0;
                            }
                            s.getOutputStream().write(ascii(answer));
                        } catch (IOException e) {
                            // a refused handshake: what the test checks
                        }
                    });
                } catch (IOException e) {
                    return;
                }
            }
        });
        return server;
    }

    @Test
    void anAnswerOverTlsIsReadAsOverPlainHttp() throws Exception {
        try (SSLServerSocket server = serve(loopback, "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Bearer realm=\"x\"\r\n"
                + "Content-Length: 2\r\n\r\n{}")) {
            try (Http1Exchange get = Http1Exchange.open("GET", URI.create("https://127.0.0.1:" + server.getLocalPort() + "/v2/"),
                    Map.of("User-Agent", "lo"), Duration.ofSeconds(2), Duration.ofSeconds(5),
                    trusting(loopback).getSocketFactory())) {
                assertThat(get.status()).isEqualTo(401);
                assertThat(get.firstHeader("www-authenticate")).isEqualTo("Bearer realm=\"x\"");
                assertThat(get.readAtMost(100)).isEqualTo(ascii("{}"));
            }
        }
    }

    @Test
    void aCertificateForAnotherNameIsRefused() throws Exception {
        try (SSLServerSocket server = serve(otherName, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")) {
            assertThatThrownBy(() -> Http1Exchange.open("GET", URI.create("https://127.0.0.1:" + server.getLocalPort() + "/v2/"),
                    Map.of(), Duration.ofSeconds(2), Duration.ofSeconds(5), trusting(otherName).getSocketFactory()))
                    .as("trusted, but issued for registry.other.example, not 127.0.0.1")
                    .isInstanceOf(SSLHandshakeException.class);
        }
    }

    @Test
    void theDefaultTrustRefusesAnUnknownIssuer() throws Exception {
        try (SSLServerSocket server = serve(loopback, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")) {
            assertThatThrownBy(() -> Http1Exchange.open("GET", URI.create("https://127.0.0.1:" + server.getLocalPort() + "/v2/"),
                    Map.of(), Duration.ofSeconds(2), Duration.ofSeconds(5))).isInstanceOf(SSLHandshakeException.class);
        }
    }

    @Test
    void aPeerThatNeverFinishesTheHandshakeIsCutAtTheResponseTimeout() throws Exception {
        try (ServerSocket silent = new ServerSocket()) {
            silent.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            Thread.ofVirtual().start(() -> {
                try (Socket s = silent.accept()) {
                    Thread.sleep(60_000);
                } catch (IOException | InterruptedException ignored) {
                    // the client gave up: what the test checks
                }
            });
            long start = System.nanoTime();
            assertThatThrownBy(() -> Http1Exchange.open("GET", URI.create("https://127.0.0.1:" + silent.getLocalPort() + "/v2/"),
                    Map.of(), Duration.ofSeconds(2), Duration.ofMillis(800), trusting(loopback).getSocketFactory()))
                    .isInstanceOf(SocketTimeoutException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        }
    }
}
