package dev.lok8s.lo.it;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.lok8s.lo.it.TestDocker.docker;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * An upstream registry that requires a login the way Docker Hub, ghcr.io and quay.io do: the registry
 * (distribution, {@code auth.token}) sends clients to a token service, here busybox's httpd on the same
 * network answering a fixed signed token only to the test's user and password (HTTP Basic). A
 * distribution pull-through mirror sends its {@code proxy.username}/{@code password} to that service.
 * The token is a JWT signed (RS256) with a key keytool makes, its certificate in the header and in the
 * registry's root bundle. Everything runs in containers the test labels.
 */
final class TokenUpstream {

    static final String ISSUER = "lotest-issuer";
    static final String SERVICE = "lotest-registry";

    final String registry;
    final String registryIp;
    final String tokenServer;
    final String tokenIp;
    private final Path dir;
    private final String user;

    private TokenUpstream(String registry, String registryIp, String tokenServer, String tokenIp, Path dir, String user) {
        this.registry = registry;
        this.registryIp = registryIp;
        this.tokenServer = tokenServer;
        this.tokenIp = tokenIp;
        this.dir = dir;
        this.user = user;
    }

    /** Starts the token service and the registry on {@code network}; the token names {@code repositories}. */
    static TokenUpstream start(String testLabel, String name, String network, String registryIp, String tokenIp,
                               Path dir, String user, String password, List<String> repositories) throws IOException {
        Path auth = Files.createDirectories(dir.resolve("auth"));
        Path www = Files.createDirectories(dir.resolve("www"));
        Path keystore = dir.resolve("token.p12");
        run(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-genkeypair",
                "-alias", "token", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=lotest-token", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", "lotest", "-ext",
                "KU=digitalSignature"));
        KeyStore store;
        try (InputStream in = Files.newInputStream(keystore)) {
            store = KeyStore.getInstance("PKCS12");
            store.load(in, "lotest".toCharArray());
            X509Certificate certificate = (X509Certificate) store.getCertificate("token");
            PrivateKey key = (PrivateKey) store.getKey("token", "lotest".toCharArray());
            Files.writeString(auth.resolve("token.crt"), "-----BEGIN CERTIFICATE-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(certificate.getEncoded())
                    + "\n-----END CERTIFICATE-----\n");
            String jwt = jwt(certificate, key, user, repositories);
            Files.writeString(www.resolve("token"), "{\"token\":\"" + jwt + "\",\"access_token\":\"" + jwt
                    + "\",\"expires_in\":86400}");
        } catch (java.security.GeneralSecurityException e) {
            throw new AssertionError("cannot sign the test token: " + e, e);
        }
        TokenUpstream upstream = new TokenUpstream(name, registryIp, name + "-token", tokenIp, dir, user);
        upstream.writePassword(password);
        docker("run", "-d", "--name", upstream.tokenServer, "--label", testLabel, "--network", network, "--ip", tokenIp,
                "-v", www + ":/www:ro", "-v", dir.resolve("httpd") + ":/etc/httpd:ro", ProvisionFixture.SEED_SOURCE,
                "httpd", "-f", "-p", "80", "-h", "/www", "-c", "/etc/httpd/httpd.conf", "-r", "lotest");
        docker("run", "-d", "--name", name, "--label", testLabel, "--network", network, "--ip", registryIp,
                "-p", "127.0.0.1::5000", "-v", auth + ":/auth:ro",
                "-e", "REGISTRY_AUTH=token", "-e", "REGISTRY_AUTH_TOKEN_REALM=http://" + tokenIp + "/token",
                "-e", "REGISTRY_AUTH_TOKEN_SERVICE=" + SERVICE, "-e", "REGISTRY_AUTH_TOKEN_ISSUER=" + ISSUER,
                "-e", "REGISTRY_AUTH_TOKEN_ROOTCERTBUNDLE=/auth/token.crt", LoCli.REGISTRY_IMAGE);
        return upstream;
    }

    /** The password the token service takes from now on (the service restarts to read it). */
    void password(String password) throws IOException {
        writePassword(password);
        docker("restart", tokenServer);
    }

    private void writePassword(String password) throws IOException {
        Path httpd = Files.createDirectories(dir.resolve("httpd"));
        Files.writeString(httpd.resolve("httpd.conf"), "/token:" + user + ":" + password + "\n");
    }

    int publishedPort() {
        String line = docker("port", registry, "5000/tcp").lines().findFirst().orElseThrow();
        return Integer.parseInt(line.substring(line.lastIndexOf(':') + 1));
    }

    String url() {
        return "http://" + registryIp + ":5000";
    }

    private static String jwt(X509Certificate certificate, PrivateKey key, String user, List<String> repositories)
            throws java.security.GeneralSecurityException {
        long now = System.currentTimeMillis() / 1000;
        String header = "{\"typ\":\"JWT\",\"alg\":\"RS256\",\"x5c\":[\""
                + Base64.getEncoder().encodeToString(certificate.getEncoded()) + "\"]}";
        StringBuilder access = new StringBuilder();
        for (String repository : repositories) {
            access.append(access.isEmpty() ? "" : ",").append("{\"type\":\"repository\",\"name\":\"").append(repository)
                    .append("\",\"actions\":[\"pull\",\"push\"]}");
        }
        String claims = "{\"iss\":\"" + ISSUER + "\",\"sub\":\"" + user + "\",\"aud\":\"" + SERVICE + "\",\"exp\":"
                + (now + 86400) + ",\"nbf\":" + (now - 3600) + ",\"iat\":" + now + ",\"jti\":\"lotest\",\"access\":["
                + access + "]}";
        Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
        String signed = url.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
                + url.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
        Signature signature = Signature.getInstance("SHA256withRSA");
        signature.initSign(key);
        signature.update(signed.getBytes(StandardCharsets.US_ASCII));
        return signed + "." + url.encodeToString(signature.sign());
    }

    private static void run(List<String> command) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("%s", command).isTrue();
            assertThat(process.exitValue()).as("%s: %s", command, out).isZero();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
