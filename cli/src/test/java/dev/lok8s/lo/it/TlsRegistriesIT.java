package dev.lok8s.lo.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lok8s.lo.spec.SpecBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static dev.lok8s.lo.it.TestDocker.docker;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * TLS registries end to end, on the real Docker Engine with a real mkcert CA installed (through
 * {@code lo trust --yes}) into the system trust store for the duration of the class, and
 * uninstalled afterwards whatever happens.
 *
 * <p>The Docker daemon reads the system trust store once, at its first TLS handshake, and keeps
 * that copy until it restarts (Go's system root pool). A daemon that has run before this test
 * therefore does not see the freshly installed CA. The shared daemon here must not be restarted,
 * so the test gives it the CA the per-registry way it reads on every push,
 * {@code /etc/docker/certs.d/<build-ip>/ca.crt}, and removes it afterwards; curl and containerd
 * read their trust on every call and need nothing more. docs/tls.md says the same for users.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TlsRegistriesIT {

    private static final String TEST_ID = "tl-reg";
    private static final String LABEL = "dev.lok8s.test=" + TEST_ID;
    private static final String PROJECT = "lotest-tlreg";
    private static final String SHARED_NETWORK = "lotest-tlreg-registries";
    private static final String BUILD_IP = "10.213.170.101";
    private static final String CACHE_IP = "10.213.170.102";
    private static final String MIRROR_IP = "10.213.171.2";
    private static final String EXTRA_MIRROR_IP = "10.213.171.3";
    private static final String UPSTREAM_IP = "10.213.171.50";
    private static final String BUILD = PROJECT + "-registry-build";
    private static final String CACHE = PROJECT + "-registry-cache";
    private static final String MIRROR = "lotest-" + TEST_ID + "-lok8s-registry-io-docker";
    private static final String UPSTREAM = "lotest-" + TEST_ID + "-upstream";
    private static final String NODE = PROJECT + "-control-plane";
    private static final String PUSHED = BUILD_IP + "/tlapp:1";
    private static final Path DOCKER_CA_DIR = Path.of("/etc/docker/certs.d", BUILD_IP);
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final DockerCleanup DOCKER = DockerCleanup.forTest(TEST_ID);

    static Path temp;
    static Path project;
    static Path caRoot;
    static Path secondCaRoot;
    static LoCli lo;
    static String upstreamPushRef;
    static boolean createdDockerCertsD;

    @BeforeAll
    static void setUp() throws Exception {
        temp = Files.createTempDirectory("lo-tlreg-");
        project = Files.createDirectories(temp.resolve("project"));
        caRoot = temp.resolve("caroot-1");
        secondCaRoot = temp.resolve("caroot-2");
        lo = LoCli.forTest(TEST_ID, temp.resolve("state")).env("CAROOT", caRoot.toString());
        writeSpec(true, false);

        // The one manual step, done the way a user agrees to it.
        LoCli.Result trust = lo.run(project, "trust", "--yes");
        assertThat(trust.exitCode()).as("lo trust --yes: %s", trust).isZero();
        assertThat(caRoot.resolve("rootCA.pem")).as("mkcert created the CA").isRegularFile();
        trustForDockerDaemon(caRoot);

        // The shared network, made first the way lo makes it (labels, dynamic addresses kept in the upper
        // quarter, away from the registries) so that the upstream can sit on it.
        docker("network", "create", "--subnet", "10.213.171.0/24", "--ip-range", "10.213.171.192/26", "--label", "dev.lok8s.managed-by=lo",
                "--label", "dev.lok8s.role=network", "--label", "dev.lok8s.scope=shared", "--label", LABEL,
                SHARED_NETWORK);
        docker("run", "-d", "--name", UPSTREAM, "--label", LABEL, "--network", SHARED_NETWORK, "--ip", UPSTREAM_IP,
                "-p", "127.0.0.1::5000", LoCli.REGISTRY_IMAGE);
        String port = docker("port", UPSTREAM, "5000/tcp").lines().findFirst().orElseThrow().replaceAll(".*:", "");
        upstreamPushRef = "127.0.0.1:" + port + "/library/tlmirror:1";
        docker("tag", "lok8s.local/test-busybox:1", upstreamPushRef);
        awaitSuccess(() -> TestDocker.exec("push", upstreamPushRef).code() == 0, 30, "push to the upstream " + upstreamPushRef);
    }

    @AfterAll
    static void tearDown() throws IOException {
        for (Path ca : List.of(caRoot, secondCaRoot)) {
            if (ca != null && Files.exists(ca.resolve("rootCA.pem"))) {
                run(Map.of("CAROOT", ca.toString()), "mkcert", "-uninstall");
            }
        }
        if (Files.exists(DOCKER_CA_DIR)) {
            deleteTree(DOCKER_CA_DIR);
        }
        if (createdDockerCertsD) {
            try (Stream<Path> left = Files.list(DOCKER_CA_DIR.getParent())) {
                if (left.findAny().isEmpty()) {
                    Files.delete(DOCKER_CA_DIR.getParent());
                }
            }
        }
        TestDocker.exec("rmi", PUSHED);
        if (upstreamPushRef != null) {
            TestDocker.exec("rmi", upstreamPushRef);
        }
        DOCKER.clean(); // before the files under temp that its containers mount go
        if (temp != null) {
            deleteTree(temp);
        }
    }

    @Test
    @Order(1)
    void provisionServesEveryRegistryOverHttpsWithOneCertificate() throws Exception {
        provision();

        Path crt = project.resolve(".secrets/tls/registries/tls.crt");
        Path key = project.resolve(".secrets/tls/registries/tls.key");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).as("key owner-only")
                .isEqualTo("rw-------");
        X509Certificate cert = certificate(crt);
        X509Certificate ca = certificate(caRoot.resolve("rootCA.pem"));
        cert.verify(ca.getPublicKey());
        assertThat(sans(cert)).as("SANs").containsExactlyInAnyOrder(BUILD_IP, CACHE_IP, MIRROR_IP, "lok8s.local",
                "lok8s.cache", "localhost", "127.0.0.1");

        List<JsonNode> issued = certIssued();
        assertThat(issued).as("one CertIssued").hasSize(1);
        JsonNode event = issued.getFirst();
        assertThat(event.path("sans").toString()).as("event SANs").contains(BUILD_IP, CACHE_IP, MIRROR_IP,
                "lok8s.local", "lok8s.cache");
        assertThat(event.path("fingerprint").asText()).as("event fingerprint").isEqualTo(fingerprint(crt));
        assertThat(event.path("notAfter").asText()).as("event expiry").startsWith(
                cert.getNotAfter().toInstant().toString().substring(0, 16));

        Path certsD = project.resolve(".containerd/certs.d");
        assertThat(Files.readString(certsD.resolve(".ca/rootCA.pem"))).as("CA copied into certs.d")
                .isEqualTo(Files.readString(caRoot.resolve("rootCA.pem")));
        Map<String, String> tomls = hostsTomls(certsD);
        assertThat(tomls.keySet()).as("hosts.toml files").contains("lok8s.local", "lok8s.cache", "docker.io",
                BUILD_IP, CACHE_IP, MIRROR_IP);
        tomls.forEach((host, toml) -> {
            assertThat(toml).as("%s hosts.toml", host).containsPattern("(?m)^server = \"https://10\\.213\\.17[01]\\.\\d+\"$")
                    .contains("ca = \"/etc/containerd/certs.d/.ca/rootCA.pem\"")
                    .containsPattern("(?m)^ca = \"/etc/containerd/certs.d/.ca/rootCA.pem\"$")
                    .doesNotContain("skip_verify").doesNotContain("http://");
        });
        assertThat(Files.readString(certsD.resolve("lok8s.local/hosts.toml"))).as("build host")
                .contains("server = \"https://" + BUILD_IP + "\"");
    }

    @Test
    @Order(2)
    void curlVerifiesTheRegistriesWithoutInsecureFlags() {
        for (String ip : List.of(BUILD_IP, CACHE_IP, MIRROR_IP)) {
            assertThat(curl("https://" + ip + "/v2/")).as("curl https://%s/v2/ (no -k)", ip).isEqualTo("200");
            assertThat(curl("http://" + ip + "/v2/")).as("nothing plain on :80 of %s", ip).isEqualTo("000");
        }
    }

    @Test
    @Order(3)
    void hostDockerPushesOverHttpsWithoutAnInsecureRegistriesEntry() throws Exception {
        String insecure = docker("info", "--format", "{{json .RegistryConfig.InsecureRegistryCIDRs}}");
        for (JsonNode cidr : JSON.readTree(insecure)) {
            assertThat(contains(cidr.asText(), BUILD_IP)).as("insecure-registries %s must not cover %s", cidr, BUILD_IP)
                    .isFalse();
        }
        docker("tag", "lok8s.local/test-busybox:1", PUSHED);
        TestDocker.Exec push = TestDocker.exec("push", PUSHED);
        assertThat(push.code()).as("docker push %s: %s %s", PUSHED, push.out(), push.err()).isZero();
    }

    @Test
    @Order(4)
    void containerdInTheNodePullsFromBuildAndThroughTheMirrorVerifyingTheCa() {
        TestDocker.Exec build = nodePull("/etc/containerd/certs.d", "lok8s.local/tlapp:1");
        assertThat(build.code()).as("pull from build by host name: %s %s", build.out(), build.err()).isZero();
        TestDocker.Exec byIp = nodePull("/etc/containerd/certs.d", PUSHED);
        assertThat(byIp.code()).as("pull from build by IP: %s %s", byIp.out(), byIp.err()).isZero();

        TestDocker.Exec mirrored = nodePull("/etc/containerd/certs.d", "docker.io/library/tlmirror:1");
        assertThat(mirrored.code()).as("pull through the mirror: %s %s", mirrored.out(), mirrored.err()).isZero();
        assertThat(docker("logs", MIRROR)).as("the mirror served it").contains("library/tlmirror");

        // A typo in an image name must read as "not found": containerd retries the top-level server after the
        // host's 404, and that server needs the CA as well, or the user sees a certificate error instead.
        for (String missing : List.of("lok8s.local/none:1", BUILD_IP + "/none:1", "docker.io/library/none:1")) {
            TestDocker.Exec absent = nodePull("/etc/containerd/certs.d", missing);
            assertThat(absent.code()).as("pull of the missing %s must fail", missing).isNotZero();
            assertThat(absent.out() + absent.err()).as("pull of the missing %s: why", missing)
                    .contains("not found").doesNotContain("x509");
        }

        // Control: without the certs.d tree (so without the CA) containerd refuses the certificate.
        TestDocker.Exec untrusted = TestDocker.exec("exec", NODE, "ctr", "images", "pull", "--hosts-dir",
                "/nonexistent", BUILD_IP + "/tlapp:1");
        assertThat(untrusted.code()).as("pull without the CA must fail").isNotZero();
        assertThat(untrusted.err()).as("why").contains("x509");
    }

    @Test
    @Order(5)
    void aSecondProvisionKeepsTheCertificateAndTheContainers() throws Exception {
        String fingerprint = fingerprint(project.resolve(".secrets/tls/registries/tls.crt"));
        Map<String, String> ids = containerIds();

        LoCli.Result result = provision();

        assertThat(result.stderr()).as("tls-cert kept").containsPattern("ok tls-cert\\s+unchanged\\s+same SANs and CA");
        assertThat(fingerprint(project.resolve(".secrets/tls/registries/tls.crt"))).as("same certificate")
                .isEqualTo(fingerprint);
        assertThat(certIssued()).as("no new CertIssued").hasSize(1);
        assertThat(containerIds()).as("registry containers kept").isEqualTo(ids);
    }

    @Test
    @Order(6)
    void addingAMirrorReissuesTheCertificateAndReplacesTheRegistries() throws Exception {
        String fingerprint = fingerprint(project.resolve(".secrets/tls/registries/tls.crt"));
        Map<String, String> ids = containerIds();
        writeSpec(true, true);

        LoCli.Result result = provision();

        assertThat(result.stderr()).as("reason").containsPattern("ok tls-cert\\s+created\\s+issued: SANs changed: \\+"
                + EXTRA_MIRROR_IP.replace(".", "\\."));
        X509Certificate cert = certificate(project.resolve(".secrets/tls/registries/tls.crt"));
        assertThat(sans(cert)).as("SANs now").containsExactlyInAnyOrder(BUILD_IP, CACHE_IP, MIRROR_IP, EXTRA_MIRROR_IP,
                "lok8s.local", "lok8s.cache", "localhost", "127.0.0.1");
        List<JsonNode> issued = certIssued();
        assertThat(issued).as("a second CertIssued").hasSize(2);
        assertThat(issued.getLast().path("fingerprint").asText()).as("new fingerprint").isNotEqualTo(fingerprint);
        Map<String, String> now = containerIds();
        ids.forEach((name, id) -> assertThat(now.get(name)).as("%s replaced to serve the new certificate", name)
                .isNotEqualTo(id));
        assertThat(curl("https://" + EXTRA_MIRROR_IP + "/v2/")).as("new mirror over https").isEqualTo("200");
        assertThat(curl("https://" + BUILD_IP + "/v2/")).as("build over https").isEqualTo("200");
        TestDocker.Exec push = TestDocker.exec("push", PUSHED);
        assertThat(push.code()).as("docker push after re-issue: %s", push.err()).isZero();
    }

    @Test
    @Order(7)
    void switchingToPlainAndBackReprovisionsCleanly() throws Exception {
        Map<String, String> tlsIds = containerIds();
        writeSpec(false, true);

        provision();

        Path certsD = project.resolve(".containerd/certs.d");
        assertThat(certsD.resolve(".ca")).as("no CA left in certs.d in plain mode").doesNotExist();
        hostsTomls(certsD).forEach((host, toml) -> assertThat(toml).as("%s hosts.toml, plain", host)
                .contains("server = \"http://").doesNotContain("https://").doesNotContain("ca = "));
        Map<String, String> plainIds = containerIds();
        tlsIds.forEach((name, id) -> assertThat(plainIds.get(name)).as("%s replaced for plain", name).isNotEqualTo(id));
        assertThat(curl("http://" + BUILD_IP + "/v2/")).as("plain :80").isEqualTo("200");
        assertThat(curl("https://" + BUILD_IP + "/v2/")).as("no :443 in plain mode").isEqualTo("000");
        TestDocker.Exec plainPull = TestDocker.exec("exec", NODE, "ctr", "images", "pull",
                "--hosts-dir", "/etc/containerd/certs.d", "lok8s.local/tlapp:1");
        assertThat(plainPull.code()).as("pull from build in plain mode: %s", plainPull.err()).isZero();

        writeSpec(true, true);
        LoCli.Result back = provision();

        assertThat(back.stderr()).as("same SANs: certificate kept").containsPattern("ok tls-cert\\s+unchanged");
        assertThat(certIssued()).as("no CertIssued for the way back").hasSize(2);
        assertThat(Files.readString(certsD.resolve(".ca/rootCA.pem"))).as("CA back in certs.d")
                .isEqualTo(Files.readString(caRoot.resolve("rootCA.pem")));
        hostsTomls(certsD).forEach((host, toml) -> assertThat(toml).as("%s hosts.toml, TLS again", host)
                .contains("server = \"https://").doesNotContain("skip_verify"));
        Map<String, String> backIds = containerIds();
        plainIds.forEach((name, id) -> assertThat(backIds.get(name)).as("%s replaced for TLS", name).isNotEqualTo(id));
        assertThat(curl("https://" + BUILD_IP + "/v2/")).as("https again").isEqualTo("200");
        assertThat(curl("http://" + BUILD_IP + "/v2/")).as("no plain :80 in TLS mode").isEqualTo("000");
        assertThat(nodePull("/etc/containerd/certs.d", "lok8s.local/tlapp:1").code()).as("node pull over https again")
                .isZero();
    }

    @Test
    @Order(8)
    void aNewCaReissuesTheCertificateAndReplacesTheRegistries() throws Exception {
        Map<String, String> ids = containerIds();
        lo.env("CAROOT", secondCaRoot.toString());
        LoCli.Result trust = lo.run(project, "trust", "--yes");
        assertThat(trust.exitCode()).as("lo trust --yes for the second CA: %s", trust).isZero();

        LoCli.Result result = provision();

        assertThat(result.stderr()).as("reason").containsPattern("ok tls-cert\\s+created\\s+issued: signed by a different CA");
        X509Certificate secondCa = certificate(secondCaRoot.resolve("rootCA.pem"));
        certificate(project.resolve(".secrets/tls/registries/tls.crt")).verify(secondCa.getPublicKey());
        assertThat(certIssued()).as("a third CertIssued").hasSize(3);
        assertThat(Files.readString(project.resolve(".containerd/certs.d/.ca/rootCA.pem"))).as("new CA in certs.d")
                .isEqualTo(Files.readString(secondCaRoot.resolve("rootCA.pem")));
        Map<String, String> now = containerIds();
        ids.forEach((name, id) -> assertThat(now.get(name)).as("%s replaced for the new CA", name).isNotEqualTo(id));
        assertThat(curl("https://" + BUILD_IP + "/v2/")).as("verifies with the new CA").isEqualTo("200");
        TestDocker.Exec pull = nodePull("/etc/containerd/certs.d", "lok8s.local/tlapp:1");
        assertThat(pull.code()).as("node pull with the new CA: %s", pull.err()).isZero();
    }

    // helpers

    private static void writeSpec(boolean tls, boolean extraMirror) {
        SpecBuilder spec = SpecBuilder.named(PROJECT).network(PROJECT, "10.213.170.0/24").tls(tls).shared(true)
                .sharedNetwork(SHARED_NETWORK, "10.213.171.0/24").mirrors("io-docker", "http://" + UPSTREAM_IP + ":5000");
        if (extraMirror) {
            spec.mirror("tl-extra", "http://" + UPSTREAM_IP + ":5000");
        }
        spec.writeIn(project);
    }

    private static LoCli.Result provision() {
        LoCli.Result result = lo.run(project, "provision", "-f", "cluster.lok8s.yaml");
        assertThat(result.exitCode()).as("lo provision: %s", result).isZero();
        return result;
    }

    /** Gives the running Docker daemon the CA for the build registry; see the class comment for why. */
    private static void trustForDockerDaemon(Path ca) throws IOException {
        createdDockerCertsD = !Files.exists(DOCKER_CA_DIR.getParent());
        Files.createDirectories(DOCKER_CA_DIR);
        Files.copy(ca.resolve("rootCA.pem"), DOCKER_CA_DIR.resolve("ca.crt"));
    }

    private static TestDocker.Exec nodePull(String hostsDir, String ref) {
        return TestDocker.exec("exec", NODE, "ctr", "images", "pull", "--hosts-dir", hostsDir, ref);
    }

    /** Registry container name to id, for build, cache and the first mirror. */
    private static Map<String, String> containerIds() {
        Map<String, String> ids = new TreeMap<>();
        for (String name : List.of(BUILD, CACHE, MIRROR)) {
            ids.put(name, docker("inspect", "--format", "{{.Id}}", name));
        }
        return ids;
    }

    private static List<JsonNode> certIssued() throws IOException {
        LoCli.Result history = lo.run(project, "history", "--type", "CertIssued", "-o", "json");
        assertThat(history.exitCode()).as("lo history: %s", history).isZero();
        List<JsonNode> payloads = new ArrayList<>();
        for (JsonNode event : JSON.readTree(history.stdout())) {
            payloads.add(event.path("payload"));
        }
        payloads.sort(Comparator.comparing(p -> p.path("notAfter").asText()));
        return payloads;
    }

    private static Map<String, String> hostsTomls(Path certsD) throws IOException {
        Map<String, String> tomls = new TreeMap<>();
        try (Stream<Path> files = Files.walk(certsD)) {
            for (Path file : files.filter(f -> f.getFileName().toString().equals("hosts.toml")).toList()) {
                tomls.put(certsD.relativize(file.getParent()).toString(), Files.readString(file));
            }
        }
        return tomls;
    }

    private static X509Certificate certificate(Path pem) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(pem)));
    }

    private static List<String> sans(X509Certificate cert) throws Exception {
        return cert.getSubjectAlternativeNames().stream().map(n -> String.valueOf(n.get(1))).toList();
    }

    private static String fingerprint(Path pem) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(certificate(pem).getEncoded()));
    }

    /** HTTP status from curl with the system trust store only; "000" when nothing answers or TLS fails. */
    private static String curl(String url) {
        return run(Map.of(), "curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "5", url).strip();
    }

    private static boolean contains(String cidr, String ip) throws IOException {
        String[] parts = cidr.split("/");
        byte[] net = InetAddress.getByName(parts[0]).getAddress();
        byte[] addr = InetAddress.getByName(ip).getAddress();
        if (net.length != addr.length) {
            return false;
        }
        int bits = Integer.parseInt(parts[1]);
        for (int i = 0; i < bits; i++) {
            int mask = 0x80 >> (i % 8);
            if ((net[i / 8] & mask) != (addr[i / 8] & mask)) {
                return false;
            }
        }
        return true;
    }

    /** Runs a command, bounded, and returns its stdout (stderr is discarded). */
    private static String run(Map<String, String> env, String... command) {
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            builder.environment().putAll(env);
            Process process = builder.start();
            byte[] out = process.getInputStream().readAllBytes();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish in 60 s");
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError("cannot run " + String.join(" ", command) + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private static void awaitSuccess(java.util.function.BooleanSupplier check, int seconds, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!check.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + " did not succeed within " + seconds + " s");
            }
            Thread.sleep(300);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
