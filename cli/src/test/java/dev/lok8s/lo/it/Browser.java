package dev.lok8s.lo.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A real headless browser for the page's tests: Debian's chromium driven by Debian's chromedriver over
 * the W3C WebDriver protocol (plain HTTP + JSON to the driver on a loopback port; nothing is downloaded,
 * no driver manager runs). Every call and every wait is bounded. The browser gets a fresh profile and no
 * background traffic (no sync, updates, component downloads or QUIC).
 */
final class Browser implements AutoCloseable {

    static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("LO_TEST_CHROMIUM", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Path.of(System.getenv().getOrDefault("LO_TEST_CHROMEDRIVER", "/usr/bin/chromedriver"));
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(60);

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ELEMENT = "element-6066-11e4-a52e-4f735466cecf";

    private final Process driver;
    private final Path profile;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final String session;

    private Browser(Process driver, Path profile, String base, String session) {
        this.driver = driver;
        this.profile = profile;
        this.base = base;
        this.session = session;
    }

    /** Starts chromedriver and a headless chromium session of the given window size. */
    static Browser start(int width, int height) throws IOException, InterruptedException {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            throw new IllegalStateException("the page's tests need Debian's chromium and chromium-driver ("
                    + CHROMIUM + ", " + CHROMEDRIVER + "): deploy/engine-up.sh installs them");
        }
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Path log = Files.createTempFile("lo-chromedriver", ".log");
        Process driver = new ProcessBuilder(CHROMEDRIVER.toString(), "--port=" + port, "--allowed-ips=127.0.0.1",
                "--log-path=" + log).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String base = "http://127.0.0.1:" + port;
        HttpClient probe = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        Instant deadline = Instant.now().plusSeconds(30);
        while (true) {
            try {
                HttpResponse<String> status = probe.send(HttpRequest.newBuilder(URI.create(base + "/status"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                if (JSON.readTree(status.body()).path("value").path("ready").asBoolean()) {
                    break;
                }
            } catch (IOException e) {
                // not listening yet
            }
            if (!driver.isAlive() || Instant.now().isAfter(deadline)) {
                driver.destroyForcibly();
                throw new IllegalStateException("chromedriver did not get ready within 30 s: " + Files.readString(log));
            }
            Thread.sleep(200);
        }
        Path profile = Files.createTempDirectory("lo-chromium-profile");
        ObjectNode options = JSON.createObjectNode();
        options.put("binary", CHROMIUM.toString());
        ArrayNode args = options.putArray("args");
        for (String arg : List.of("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-default-apps", "--disable-extensions", "--disable-dev-shm-usage",
                "--user-data-dir=" + profile, "--window-size=" + width + "," + height)) {
            args.add(arg);
        }
        ObjectNode caps = JSON.createObjectNode();
        ObjectNode always = caps.putObject("capabilities").putObject("alwaysMatch");
        always.put("browserName", "chrome");
        always.set("goog:chromeOptions", options);
        always.putObject("timeouts").put("script", 30_000).put("pageLoad", 30_000).put("implicit", 0);
        try {
            JsonNode created = call(probe, "POST", base + "/session", caps);
            return new Browser(driver, profile, base, created.path("sessionId").asText());
        } catch (RuntimeException | IOException e) {
            driver.destroyForcibly();
            throw e;
        }
    }

    void open(String url) throws IOException, InterruptedException {
        ObjectNode body = JSON.createObjectNode().put("url", url);
        call("POST", "/url", body);
    }

    /** Runs a script in the page (a function body: {@code return ...}); its result as JSON. */
    JsonNode script(String body, Object... args) throws IOException, InterruptedException {
        ObjectNode request = JSON.createObjectNode().put("script", body);
        ArrayNode list = request.putArray("args");
        for (Object a : args) {
            list.addPOJO(a);
        }
        return call("POST", "/execute/sync", request);
    }

    /** The text of every element matching a CSS selector (as the user sees it). */
    List<String> texts(String css) throws IOException, InterruptedException {
        JsonNode all = script("return Array.from(document.querySelectorAll(arguments[0])).map(e => e.textContent);", css);
        List<String> out = new ArrayList<>();
        all.forEach(n -> out.add(n.asText()));
        return out;
    }

    /** Clicks the first element matching a CSS selector, as a user would (a WebDriver click). */
    void click(String css) throws IOException, InterruptedException {
        ObjectNode find = JSON.createObjectNode().put("using", "css selector").put("value", css);
        String id = call("POST", "/element", find).path(ELEMENT).asText();
        call("POST", "/element/" + id + "/click", JSON.createObjectNode());
    }

    void resize(int width, int height) throws IOException, InterruptedException {
        call("POST", "/window/rect", JSON.createObjectNode().put("width", width).put("height", height));
    }

    /** A PNG of the viewport. */
    byte[] screenshot() throws IOException, InterruptedException {
        return Base64.getDecoder().decode(call("GET", "/screenshot", null).asText());
    }

    /** Waits until the condition holds, at most {@code timeout}; fails with the description and the last state. */
    void await(String what, Duration timeout, Check check, Supplier<String> state) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        Exception last = null;
        while (Instant.now().isBefore(deadline)) {
            try {
                if (check.holds()) {
                    return;
                }
            } catch (Exception e) {
                last = e;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("within " + timeout.toSeconds() + " s: " + what + "; page: " + state.get(), last);
    }

    interface Check {
        boolean holds() throws Exception;
    }

    private JsonNode call(String method, String path, JsonNode body) throws IOException, InterruptedException {
        return call(http, method, base + "/session/" + session + path, body);
    }

    private static JsonNode call(HttpClient client, String method, String url, JsonNode body)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(CALL_TIMEOUT)
                .header("Content-Type", "application/json");
        request = body == null ? request.method(method, HttpRequest.BodyPublishers.noBody())
                : request.method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode value = JSON.readTree(response.body()).path("value");
        if (response.statusCode() != 200) {
            throw new IllegalStateException("WebDriver " + method + " " + url + ": " + response.statusCode() + " "
                    + value.path("error").asText() + ": " + value.path("message").asText());
        }
        return value;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        try {
            call("DELETE", "", null);
        } catch (RuntimeException | IOException e) {
            // the driver goes below anyway
        } finally {
            driver.destroy();
            if (!driver.waitFor(10, TimeUnit.SECONDS)) {
                driver.destroyForcibly();
            }
            try (var walk = Files.walk(profile)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            } catch (IOException e) {
                // a temporary directory: the system cleans it eventually
            }
        }
    }
}
