package dev.lok8s.lo.tls;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The issued cert against the JDK's own TLS stack: a server presenting it, a client trusting only the CA. */
class TlsHandshakeTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    @TempDir
    Path tmp;

    private HttpsServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void aClientTrustingOnlyTheCaReachesTheIpInTheSans() throws Exception {
        CaMaterial ca = TestCa.rsa(tmp.resolve("ca"));
        IssuedCert issued = new RegistryCertificate().issue(ca, List.of("127.0.0.1", "lok8s.local"), Instant.now());

        HttpResponse<String> response = get(serve(issued), ca);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("registry");
    }

    @Test
    void theRegistryProbeTrustsOnlyTheCaAndChecksTheName() throws Exception {
        CaMaterial ca = TestCa.rsa(tmp.resolve("ca"));
        int port = serve(new RegistryCertificate().issue(ca, List.of("127.0.0.1", "lok8s.local"), Instant.now()));
        URI uri = URI.create("https://127.0.0.1:" + port + "/v2/");

        assertThat(dev.lok8s.lo.registry.RegistryProbe.probeOnce(uri, ca.certificatePem()).ok()).isTrue();
        CaMaterial other = TestCa.create(tmp.resolve("other"), "RSA", TestCa.KeyFormat.PKCS8, "CN=another CA");
        assertThat(dev.lok8s.lo.registry.RegistryProbe.probeOnce(uri, other.certificatePem()))
                .as("a certificate from another CA").satisfies(answer -> {
                    assertThat(answer.ok()).isFalse();
                    assertThat(answer.error()).startsWith("SSLHandshakeException");
                });
        server.stop(0);
        int elsewhere = serve(new RegistryCertificate().issue(ca, List.of("10.125.125.101"), Instant.now()));
        assertThat(dev.lok8s.lo.registry.RegistryProbe.probeOnce(URI.create("https://127.0.0.1:" + elsewhere + "/v2/"),
                ca.certificatePem()).error()).as("a trusted cert for another address").contains("127.0.0.1");
    }

    @Test
    void hostnameVerificationFailsWhenTheIpIsNotASan() throws Exception {
        CaMaterial ca = TestCa.rsa(tmp.resolve("ca"));
        IssuedCert issued = new RegistryCertificate().issue(ca, List.of("10.125.125.101", "lok8s.local"), Instant.now());
        int port = serve(issued);

        assertThatThrownBy(() -> get(port, ca))
                .as("a trusted cert for other names is still refused for 127.0.0.1")
                .isInstanceOf(SSLHandshakeException.class)
                .hasMessageContaining("127.0.0.1");
    }

    @Test
    void aRealMkcertCaWorksEndToEnd() throws Exception {
        assumeTrue(TestCa.mkcertInstalled(), "mkcert is not installed");
        Path caroot = TestCa.realMkcert(tmp);
        CaMaterial ca = new MkcertAuthority(Map.of("CAROOT", caroot.toString(), "PATH", System.getenv("PATH"))).check();
        var store = new CertificateStore(tmp.resolve("project"));
        store.write(new RegistryCertificate().issue(ca, List.of("127.0.0.1", "lok8s.local", "lok8s.cache"), Instant.now()));

        // what a registry container would read: the two files on disk
        var fromDisk = new IssuedCert(java.nio.file.Files.readString(store.certFile()),
                java.nio.file.Files.readString(store.keyFile()), List.of(), "", Instant.now(), "");

        assertThat(get(serve(fromDisk), ca).statusCode()).isEqualTo(200);
    }

    private int serve(IssuedCert issued) throws Exception {
        var keyStore = KeyStore.getInstance("PKCS12");
        keyStore.load(null, null);
        char[] password = "test".toCharArray();
        keyStore.setKeyEntry("registry", Pem.parsePrivateKey(issued.keyPem()), password,
                new Certificate[]{Pem.parseCertificate(issued.certPem())});
        var keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keyStore, password);
        var context = SSLContext.getInstance("TLS");
        context.init(keyManagers.getKeyManagers(), null, null);

        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(context));
        server.createContext("/", exchange -> {
            byte[] body = "registry".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (var out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        return server.getAddress().getPort();
    }

    private static HttpResponse<String> get(int port, CaMaterial ca) throws Exception {
        var trustStore = KeyStore.getInstance("PKCS12");
        trustStore.load(null, null);
        trustStore.setCertificateEntry("mkcert", ca.certificate());
        var trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trustStore);
        var context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);

        try (var client = HttpClient.newBuilder().sslContext(context).connectTimeout(TIMEOUT).build()) {
            var request = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/")).timeout(TIMEOUT).build();
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        }
    }
}
