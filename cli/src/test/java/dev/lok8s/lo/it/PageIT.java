package dev.lok8s.lo.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static dev.lok8s.lo.it.ProvisionFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The page of {@code lo serve} in a real headless chromium, over a real machine: a project whose
 * registries {@code lo registry up} started (a shared mirror of a seeded upstream), an image warmed
 * into the mirror, and a refused warm whose recorded error holds markup. The page names the registries
 * and the runs, draws both charts, shows a run's steps on click, shows the markup as text, and shows a
 * new run without a reload; with a token it works from the address's fragment.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PageIT {

    static final String ID = "pg";
    static final String SHARED = "lotest-pg-registries";
    static final String SHARED_CIDR = "10.219.26.0/24";
    static final String DOMAIN = "pg.test";
    static final String NAME = "lotest-pg";
    static final String CIDR = "10.219.27.0/24";
    static final String UPSTREAM = "lotest-pg-upstream";
    static final String MIRROR = "lotest-" + ID + "-lok8s-registry-io-docker";
    static final String IMAGE = "docker.io/library/demo:1";
    /** Would set the document's title if the page ever rendered a recorded text as markup. */
    static final String MARKUP = "<img src=x onerror=document.title='pwned'>";
    static final String TOKEN = "page-it-token-0123456789abcdef0123456789";
    static final Duration WAIT = Duration.ofSeconds(60);

    @RegisterExtension
    static final DockerCleanup DOCKER = DockerCleanup.forTest(ID);

    @TempDir
    static Path root;
    @TempDir
    static Path state;

    LoCli lo;
    Process serve;
    int port;
    Browser browser;
    String upRun;

    @BeforeAll
    void aMachineWithRegistriesRunsAndARefusalThenLoServeAndABrowser() throws Exception {
        lo = LoCli.forTest(ID, state);
        ProvisionFixture fixture = new ProvisionFixture(lo, root);
        fixture.createLoLikeNetwork(SHARED, SHARED_CIDR, true, null);
        ProvisionFixture.Upstream upstream = fixture.startSeededUpstream(UPSTREAM, SHARED, SHARED_CIDR);
        fixture.writeSpec(DOMAIN, NAME, CIDR, SHARED, SHARED_CIDR, upstream.mirrorUrl());

        LoCli.Result up = lo.run(root, "registry", "up", DOMAIN);
        assertThat(up.exitCode()).as("lo registry up\n%s", up).isZero();
        upRun = newestRun("registry up");
        LoCli.Result warm = lo.run(root, "registry", "warm", DOMAIN, IMAGE);
        assertThat(warm.exitCode()).as("lo registry warm\n%s", warm).isZero();
        LoCli.Result refused = lo.run(root, "registry", "warm", DOMAIN, MARKUP);
        assertThat(refused.exitCode()).as("a warm of a bad reference is refused\n%s", refused).isEqualTo(2);
        assertThat(json(lo.run(root, "runs", "-o", "json").stdout()).get(0).path("error").asText())
                .as("the refusal's recorded error holds the markup").contains(MARKUP);

        port = freePort();
        serve = startServe(port, Map.of(), root.resolve("serve.err"));
        browser = Browser.start(1400, 2000);
    }

    @AfterAll
    void stop() throws Exception {
        if (browser != null) {
            browser.close();
        }
        stopServe(serve);
    }

    @Test
    @Order(1)
    void thePageNamesTheRegistriesAndTheRunsAndDrawsTheCharts() throws Exception {
        browser.open(page(port));
        awaitLoaded();
        browser.await("the mirror's row with its cache size", WAIT,
                () -> !browser.texts("#shared-networks tr[data-registry='" + MIRROR + "'] td.num").isEmpty()
                        && !browser.texts("#shared-networks tr[data-registry='" + MIRROR + "'] td.num").getFirst()
                        .equals("—"), this::pageText);
        String shared = String.join(" ", browser.texts("#shared-networks"));
        assertThat(shared).as("the shared network and its mirror").contains(SHARED, SHARED_CIDR, MIRROR, "10.219.26.2",
                upstream()).contains("Running").contains(NAME);
        String projects = String.join(" ", browser.texts("#projects"));
        assertThat(projects).as("the project with its slot, build and cache registries").contains(NAME, DOMAIN,
                CIDR, "10.219.27.101", "10.219.27.102", "27");
        assertThat(browser.texts("#projects tr[data-project='" + NAME + "'] td.push")).as("the push address /api/registries"
                + " gives build and cache").singleElement().asString().matches("localhost:[0-9]+, localhost:[0-9]+");

        String runs = String.join(" ", browser.texts("#runs-table"));
        assertThat(runs).contains(upRun.substring(0, 8), "registry up", "registry warm", "completed", "rejected");
        assertThat(browser.script("return document.querySelectorAll('#runs-chart svg .dot').length;").asInt())
                .as("one dot per run").isEqualTo(3);
        assertThat(browser.texts("#runs-chart svg text.axis-title")).containsExactly("run started (UTC)",
                "duration (s)");
        assertThat(browser.texts("#runs-chart svg .x-axis text")).as("time ticks").isNotEmpty();

        browser.await("the cache chart's line for the warmed mirror and its measured size", WAIT,
                () -> browser.script("return document.querySelectorAll(\"#cache-chart g.series[data-registry='"
                        + MIRROR + "'] path\").length > 0 && document.querySelectorAll(\"#cache-chart g.series"
                        + "[data-registry='" + MIRROR + "'] rect.reading\").length > 0;").asBoolean(), this::pageText);
        assertThat(browser.texts("#cache-chart svg text.axis-title")).containsExactly("time (UTC)",
                "size (binary units)");
        assertThat(browser.texts("#cache-chart svg .y-axis text")).as("size ticks in bytes").anyMatch(
                t -> t.matches("[0-9.]+ (B|KiB|MiB|GiB)"));

        browser.click("#runs-chart svg .dot[data-run='" + upRun + "']");
        browser.await("the run's steps", WAIT, () -> !browser.texts("#run-detail tr[data-step]").isEmpty(),
                this::pageText);
        assertThat(String.join(" ", browser.texts("#run-detail h3"))).contains(upRun.substring(0, 8), "registry up",
                "completed");
        assertThat(browser.texts("#run-detail tr[data-step] td:first-child")).as("step ids").anyMatch(
                s -> s.contains("registry"));
    }

    @Test
    @Order(2)
    void aRecordedTextWithMarkupIsShownAsText() throws Exception {
        assertThat(browser.texts("#runs-table td.run-error")).as("the error, as recorded").anyMatch(
                t -> t.contains(MARKUP));
        assertThat(browser.texts("#history-table td.summary")).anyMatch(t -> t.contains(MARKUP));
        assertThat(browser.script("return document.querySelectorAll('img').length;").asInt())
                .as("no element was made from the text").isZero();
        assertThat(browser.script("return document.title;").asText()).doesNotContain("pwned");
    }

    @Test
    @Order(3)
    void aNewRunAppearsWithoutAReload() throws Exception {
        browser.script("window.loSameDocument = 'still here'; return null;");
        browser.await("the page follows the event stream", WAIT, () -> "live".equals(
                browser.script("return document.getElementById('live').dataset.state;").asText()), this::pageText);
        LoCli.Result again = lo.run(root, "registry", "up", DOMAIN);
        assertThat(again.exitCode()).as("lo registry up again\n%s", again).isZero();
        String newRun = newestRun("registry up");
        assertThat(newRun).isNotEqualTo(upRun);

        browser.await("the new run in the runs table and the chart", WAIT,
                () -> !browser.texts("#runs-table tr[data-run='" + newRun + "']").isEmpty()
                        && browser.script("return document.querySelectorAll('#runs-chart svg .dot').length;")
                        .asInt() == 4, this::pageText);
        browser.await("its events in the history", WAIT,
                () -> browser.texts("#history-table td:last-child").contains(newRun.substring(0, 8)), this::pageText);
        assertThat(browser.script("return window.loSameDocument;").asText()).as("no reload").isEqualTo("still here");

        // what the page looked like, for people (README's picture is one of these)
        browser.resize(1280, 1400);
        browser.script("window.scrollTo(0, 0); return null;");
        Files.write(Path.of("target", "page-it.png"), browser.screenshot());
    }

    @Test
    @Order(4)
    void withATokenThePageTakesItFromTheFragment() throws Exception {
        int tokenPort = freePort();
        Process withToken = startServe(tokenPort, Map.of("LO_SERVE_TOKEN", TOKEN), root.resolve("serve-token.err"));
        try {
            browser.open(page(tokenPort));
            browser.await("a page that says the token is missing", WAIT,
                    () -> String.join(" ", browser.texts("#notice")).contains("#token="), this::pageText);

            browser.open(page(tokenPort) + "#token=" + TOKEN);
            awaitLoaded();
            browser.await("the runs, read with the token", WAIT,
                    () -> String.join(" ", browser.texts("#runs-table")).contains(upRun.substring(0, 8)), this::pageText);
            assertThat(browser.script("return location.href;").asText()).as("the token leaves the address bar")
                    .isEqualTo(page(tokenPort));
            browser.await("the event stream, with the token", WAIT, () -> "live".equals(
                    browser.script("return document.getElementById('live').dataset.state;").asText()), this::pageText);
        } finally {
            stopServe(withToken);
        }
    }

    // ---- helpers

    private void awaitLoaded() throws Exception {
        browser.await("the page loaded its data", WAIT,
                () -> "true".equals(browser.script("return document.body.dataset.loaded || '';").asText()),
                this::pageText);
    }

    private String pageText() {
        try {
            return browser.script("return document.body.innerText;").asText();
        } catch (Exception e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    private static String page(int port) {
        return "http://127.0.0.1:" + port + "/";
    }

    private String upstream() {
        return "http://10.219.26.150:5000";
    }

    private String newestRun(String command) {
        LoCli.Result runs = lo.run(root, "runs", "-o", "json");
        assertThat(runs.exitCode()).as("%s", runs).isZero();
        for (JsonNode run : json(runs.stdout())) {
            if (run.path("command").asText().equals(command)) {
                return run.path("runId").asText();
            }
        }
        throw new AssertionError("no run of " + command + ": " + runs.stdout());
    }

    /** lo serve through the launcher, in the project directory, with the test's store and names. */
    private Process startServe(int port, Map<String, String> extra, Path err) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(LoCli.checkoutRoot().resolve("deploy/lo").toString(), "serve", "--port",
                Integer.toString(port)).directory(root.toFile());
        pb.environment().remove("LO_SERVE_TOKEN");
        pb.environment().putAll(lo.environment());
        pb.environment().putAll(extra);
        Process process = pb.redirectError(err.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String banner = "lo serve: page http://127.0.0.1:" + port + "/";
        Instant deadline = Instant.now().plus(WAIT);
        while (!Files.readString(err).contains(banner)) {
            if (!process.isAlive() || Instant.now().isAfter(deadline)) {
                process.destroyForcibly();
                throw new AssertionError("lo serve did not print its page within " + WAIT.toSeconds() + " s: "
                        + Files.readString(err));
            }
            Thread.sleep(200);
        }
        return process;
    }

    private static void stopServe(Process process) throws InterruptedException {
        if (process == null) {
            return;
        }
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
