package dev.lok8s.lo.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lok8s.lo.plan.Labels;
import dev.lok8s.lo.upstream.LoginKey;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import static dev.lok8s.lo.it.ProvisionFixture.get;
import static dev.lok8s.lo.it.ProvisionFixture.json;
import static dev.lok8s.lo.it.TestDocker.docker;
import static dev.lok8s.lo.it.TestDocker.exec;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A mirror of an upstream that requires a login through a token service ({@link TokenUpstream}, the way
 * Docker Hub, ghcr.io and quay.io do; a distribution mirror cannot log in to an HTTP Basic upstream, and
 * lo says so: see MirrorUpstreamTest): lo takes the login from a Docker client
 * configuration the test writes (auths, then a credential helper on the PATH), the mirror gets it in
 * its config file only, a rotated password restarts the mirror on the same volume, and the secret is
 * in no output, no event, no file of the state directory and nothing {@code docker inspect} shows.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class UpstreamLoginsIT {

    static final String ID = "up-login";
    static final String DOMAIN = "l.up.test";
    static final String NAME = "lotest-up-l";
    static final String CIDR = "10.213.185.0/24";
    static final String MIRROR = NAME + "-registry-io-docker";
    static final String MIRROR_IP = "10.213.185.103";
    static final String UPSTREAM = "lotest-up-login-upstream";
    static final String UPSTREAM_IP = "10.213.185.150";
    static final String TOKEN_IP = "10.213.185.151";
    static final String SERVER = UPSTREAM_IP + ":5000";
    static final String USER = "lotestuser";
    static final String FIRST = "lotest-first-" + UUID.randomUUID();
    static final String ROTATED = "lotest-rotated-" + UUID.randomUUID();
    static final String WRONG = "lotest-wrong-" + UUID.randomUUID();
    static final String IMAGE = "docker.io/library/demo:1";

    @RegisterExtension
    static final DockerCleanup DOCKER = DockerCleanup.forTest(ID);

    @TempDir
    static Path root;
    @TempDir
    static Path state;
    @TempDir
    static Path files;

    static LoCli lo;
    static ProvisionFixture fixture;
    static Path dockerConfig;
    static Path helperBin;
    static TokenUpstream upstream;
    static final List<String> outputs = new ArrayList<>();

    @BeforeAll
    static void anUpstreamThatRequiresALogin() throws IOException {
        dockerConfig = Files.createDirectories(files.resolve("docker-config"));
        helperBin = Files.createDirectories(files.resolve("bin"));
        lo = LoCli.forTest(ID, state).env("DOCKER_CONFIG", dockerConfig.toString())
                .env("PATH", helperBin + ":" + System.getenv("PATH"));
        fixture = new ProvisionFixture(lo, root);
        fixture.createLoLikeNetwork(NAME, CIDR, false, NAME);
        upstream = TokenUpstream.start(fixture.testLabel(), UPSTREAM, NAME, UPSTREAM_IP, TOKEN_IP,
                Files.createDirectories(files.resolve("upstream")), USER, FIRST, List.of("library/demo"));
        int port = upstream.publishedPort();
        // The test's own docker client logs in with its own configuration to seed the upstream.
        Path seedConfig = Files.createDirectories(files.resolve("seed-config"));
        Files.writeString(seedConfig.resolve("config.json"), "{\"auths\":{\"127.0.0.1:" + port + "\":{\"auth\":\""
                + base64(USER + ":" + FIRST) + "\"}}}");
        awaitStatus("http://127.0.0.1:" + port + "/v2/", 401);
        String tag = "127.0.0.1:" + port + "/" + ProvisionFixture.SEED_REPOSITORY + ":1";
        docker("tag", ProvisionFixture.SEED_SOURCE, tag);
        try {
            docker("--config", seedConfig.toString(), "push", tag);
        } finally {
            exec("rmi", tag);
        }
        fixture.writeSpec(DOMAIN, NAME, CIDR, null, null, upstream.url());
    }

    @AfterAll
    static void removeTheHelper() throws IOException {
        Files.deleteIfExists(helperBin.resolve("docker-credential-lotest-up"));
    }

    static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    static void awaitStatus(String url, int status) {
        var client = java.net.http.HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            try {
                int got = client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url))
                        .timeout(Duration.ofSeconds(2)).build(), java.net.http.HttpResponse.BodyHandlers.discarding())
                        .statusCode();
                if (got == status) {
                    return;
                }
                last = "status " + got;
            } catch (IOException e) {
                last = e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        throw new AssertionError(url + " did not answer " + status + " within 30 s (" + last + ")");
    }

    static void writeAuths(String password) throws IOException {
        Files.writeString(dockerConfig.resolve("config.json"), "{\"auths\":{\"" + SERVER + "\":{\"auth\":\""
                + base64(USER + ":" + password) + "\"}}}");
    }

    /** Runs lo, keeping everything it printed for the final search for secrets. */
    static LoCli.Result run(String... args) {
        LoCli.Result result = lo.run(root, args);
        outputs.add(String.join(" ", args) + "\n" + result.stdout() + "\n" + result.stderr());
        return result;
    }

    static JsonNode registryUp() {
        LoCli.Result result = run("registry", "up", DOMAIN, "-o", "json");
        assertThat(result.exitCode()).as("lo registry up\n%s", result).isZero();
        return json(result.stdout());
    }

    static String label(String key) {
        return docker("inspect", MIRROR, "--format", "{{index .Config.Labels \"" + key + "\"}}").strip();
    }

    static String configInMirror() {
        TestDocker.Exec copy = exec("cp", MIRROR + ":/etc/docker/registry/config.yml", "-");
        assertThat(copy.code()).as("docker cp of the mirror's config: %s", copy.err()).isZero();
        return copy.out();
    }

    @Test
    @Order(1)
    void withoutALoginTheMirrorPullsAnonymouslyAndStatusAndDoctorSayWhatToDo() {
        JsonNode up = registryUp();
        assertThat(up.path("warnings").toString()).as("warnings of registry up")
                .contains("asks for a login", "docker login " + SERVER);

        LoCli.Result status = run("registry", "status", DOMAIN);
        assertThat(status.exitCode()).as("%s", status).isZero();
        assertThat(status.stdout()).as("status").contains(MIRROR + ": upstream " + SERVER
                + " asks for a login and the Docker configuration has none for " + SERVER + "; fix: docker login " + SERVER);
        JsonNode statusJson = json(run("registry", "status", DOMAIN, "-o", "json").stdout());
        JsonNode mirror = mirrorOf(statusJson);
        assertThat(mirror.path("upstreamLogin").asText()).isEqualTo("missing");
        assertThat(mirror.path("mode").asText()).isEqualTo("proxy");

        LoCli.Result doctor = run("doctor", DOMAIN);
        assertThat(doctor.all()).as("doctor").contains("asks for a login").contains("fix: docker login " + SERVER);
        assertThat(label(Labels.UPSTREAM_LOGIN)).as("no login label").isEmpty();
        LoCli.Result anonymous = run("registry", "warm", DOMAIN, IMAGE, "-o", "json");
        assertThat(anonymous.exitCode()).as("without a login the mirror cannot pull\n%s", anonymous).isNotZero();
    }

    static JsonNode mirrorOf(JsonNode status) {
        for (JsonNode r : status.path("projectRegistries")) {
            if (r.path("container").asText().equals(MIRROR)) {
                return r;
            }
        }
        throw new AssertionError("no " + MIRROR + " in " + status);
    }

    @Test
    @Order(2)
    void aLoginInAuthsGoesIntoTheMirrorsConfigFileAndTheMirrorPullsWithIt() throws IOException {
        writeAuths(FIRST);
        LoCli.Result dry = run("provision", DOMAIN, "--dry-run", "-o", "json");
        assertThat(dry.exitCode()).as("%s", dry).isZero();
        assertThat(dry.stdout()).as("the dry run").contains("upstream login added");

        JsonNode up = registryUp();
        assertThat(up.path("steps").path("registry:" + MIRROR).asText()).isEqualTo("replaced");
        assertThat(up.path("warnings").toString()).doesNotContain("asks for a login");
        assertThat(label(Labels.UPSTREAM_LOGIN)).as("the login's fingerprint").matches("[0-9a-f]{64}");
        assertThat(configInMirror()).as("the mirror's config file").contains("username: \"" + USER + "\"",
                "password: \"" + FIRST + "\"");

        LoCli.Result warm = run("registry", "warm", DOMAIN, IMAGE, "-o", "json");
        assertThat(warm.exitCode()).as("warm through the logged-in mirror\n%s", warm).isZero();
        assertThat(get("http://" + MIRROR_IP + "/v2/_catalog")).contains("library/demo");
        JsonNode mirror = mirrorOf(json(run("registry", "status", DOMAIN, "-o", "json").stdout()));
        assertThat(mirror.path("upstreamLogin").asText()).isEqualTo("used");
        assertThat(mirror.path("upstreamProblem").isNull()).isTrue();
    }

    @Test
    @Order(3)
    void aRotatedPasswordRestartsTheMirrorOnTheSameVolumeWithItsCache() throws IOException {
        String volumeBefore = docker("inspect", MIRROR, "--format", "{{range .Mounts}}{{.Name}}{{end}}").strip();
        String fingerprintBefore = label(Labels.UPSTREAM_LOGIN);
        upstream.password(ROTATED);
        writeAuths(ROTATED);

        JsonNode up = registryUp();
        assertThat(up.path("steps").path("registry:" + MIRROR).asText()).isEqualTo("replaced");
        assertThat(label(Labels.UPSTREAM_LOGIN)).as("a new fingerprint").matches("[0-9a-f]{64}")
                .isNotEqualTo(fingerprintBefore);
        assertThat(docker("inspect", MIRROR, "--format", "{{range .Mounts}}{{.Name}}{{end}}").strip())
                .as("the same volume").isEqualTo(volumeBefore);
        assertThat(get("http://" + MIRROR_IP + "/v2/_catalog")).as("the cache survived").contains("library/demo");
        assertThat(configInMirror()).contains("password: \"" + ROTATED + "\"").doesNotContain(FIRST);
        List<JsonNode> started = fixture.history("--type", "MirrorStarted");
        assertThat(started).as("MirrorStarted events").hasSizeGreaterThanOrEqualTo(3);
        assertThat(started.getFirst().path("payload").path("loginFingerprint").asText())
                .as("the newest records the new fingerprint").isEqualTo(label(Labels.UPSTREAM_LOGIN));
        LoCli.Result history = run("history", "--type", "MirrorStarted");
        assertThat(history.stdout()).contains("with login " + label(Labels.UPSTREAM_LOGIN).substring(0, 8));

        LoCli.Result warm = run("registry", "warm", DOMAIN, IMAGE, "-o", "json");
        assertThat(warm.exitCode()).as("%s", warm).isZero();
        assertThat(json(warm.stdout()).toString()).as("served from the kept cache").contains("\"cached\":true");
    }

    @Test
    @Order(4)
    void aCredentialHelperOnThePathIsAskedWithTheServerAndTheSameLoginChangesNothing() throws IOException {
        Path asked = files.resolve("helper-asked");
        Path helper = helperBin.resolve("docker-credential-lotest-up");
        Files.writeString(helper, "#!/bin/sh\n[ \"$1\" = get ] || exit 2\ncat > '" + asked + "'\n"
                + "printf '{\"ServerURL\":\"%s\",\"Username\":\"" + USER + "\",\"Secret\":\"%s\"}' \"$(cat '" + asked
                + "')\" \"$(cat '" + files.resolve("helper-secret") + "')\"\n");
        Files.setPosixFilePermissions(helper, PosixFilePermissions.fromString("rwx------"));
        Files.writeString(files.resolve("helper-secret"), ROTATED);
        Files.writeString(dockerConfig.resolve("config.json"), "{\"auths\":{\"" + SERVER + "\":{}},"
                + "\"credHelpers\":{\"" + SERVER + "\":\"lotest-up\"}}");
        String fingerprint = label(Labels.UPSTREAM_LOGIN);

        JsonNode up = registryUp();
        assertThat(Files.readString(asked)).as("the helper got the server key on stdin").isEqualTo(SERVER);
        assertThat(up.path("steps").path("registry:" + MIRROR).asText()).as("same login, same mirror")
                .isEqualTo("unchanged");
        assertThat(label(Labels.UPSTREAM_LOGIN)).isEqualTo(fingerprint);

        Files.writeString(files.resolve("helper-secret"), WRONG);
        LoCli.Result status = run("registry", "status", DOMAIN);
        assertThat(status.stdout()).as("status").contains(MIRROR + ": upstream " + SERVER + " refuses the login of user '"
                + USER + "'", "fix: docker login " + SERVER);
        LoCli.Result doctor = run("doctor", DOMAIN);
        assertThat(doctor.all()).contains("refuses the login").contains("fix: docker login " + SERVER);
    }

    @Test
    @Order(5)
    void theSecretIsInNoOutputEventFileOrInspection() throws IOException {
        run("history", "-o", "json", "--limit", "1000");
        run("history", "--limit", "1000");
        LoCli.Result runs = run("runs", "-o", "json");
        for (JsonNode r : json(runs.stdout())) {
            run("runs", "show", r.path("runId").asText(), "-o", "json");
        }
        run("provision", DOMAIN, "--dry-run", "-o", "json");
        run("provision", DOMAIN, "--dry-run");
        run("registry", "status", DOMAIN, "-o", "json");
        run("doctor", DOMAIN, "-o", "json");
        run("registry", "usage", DOMAIN, "-o", "json");

        List<String> secrets = new ArrayList<>();
        for (String password : List.of(FIRST, ROTATED, WRONG)) {
            secrets.add(password);
            secrets.add(base64(USER + ":" + password));
        }
        String everything = String.join("\n", outputs);
        String inspected = docker("inspect", MIRROR) + docker("volume", "inspect",
                docker("inspect", MIRROR, "--format", "{{range .Mounts}}{{.Name}}{{end}}").strip());
        StringBuilder events = new StringBuilder();
        CrashFixture.events(state).forEach(e -> events.append(e.type()).append(' ').append(e.payload()).append('\n'));
        for (String secret : secrets) {
            assertThat(everything).as("every output of lo").doesNotContain(secret);
            assertThat(inspected).as("docker inspect of the mirror and its volume").doesNotContain(secret);
            assertThat(events.toString()).as("the events").doesNotContain(secret);
        }
        try (Stream<Path> all = Files.walk(state)) {
            for (Path file : all.filter(Files::isRegularFile).toList()) {
                String bytes = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
                for (String secret : secrets) {
                    assertThat(bytes).as("state file %s", file).doesNotContain(secret);
                }
            }
        }
        assertThat(events.toString()).as("the events hold the fingerprint").contains(label(Labels.UPSTREAM_LOGIN));
        Path key = state.resolve(LoginKey.FILE);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
    }
}
