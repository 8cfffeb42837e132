package dev.lok8s.lo.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lok8s.lo.cli.HistoryCommand;
import dev.lok8s.lo.cli.OutputOptions;
import dev.lok8s.lo.events.CertsDirWritten;
import dev.lok8s.lo.events.EventMetadata;
import dev.lok8s.lo.store.EventStore;
import dev.lok8s.lo.store.ExpectedVersion;
import dev.lok8s.lo.store.HistoryQuery;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static dev.lok8s.lo.api.ApiFixture.R1;
import static dev.lok8s.lo.api.ApiFixture.R2;
import static dev.lok8s.lo.api.ApiFixture.R3;
import static dev.lok8s.lo.api.ApiFixture.R5;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/** Every endpoint of lo serve against a store seeded through the real EventStore ({@link ApiFixture}). */
@QuarkusTest
@TestProfile(ApiFixture.Profile.class)
class ApiResourceTest {

    private static boolean seeded;

    @Inject
    EventStore store;

    @TestHTTPResource("/api/events/stream")
    URL streamUrl;

    @BeforeEach
    void seedOnce() {
        if (!seeded) {
            ApiFixture.seed(store);
            seeded = true;
        }
    }

    // ---- runs

    @Test
    void runsAndHistoryCarryTheMachineAndFilterByHost() {
        String machine = store.machine().id();
        JsonPath runs = ok("/api/runs");
        assertThat(runs.getList("machineId", String.class)).as("every run carries its machine").isNotEmpty()
                .containsOnly(machine);
        assertThat(ok("/api/runs?host=" + store.machine().shortId()).getList("runId"))
                .as("by a prefix of the machine id").hasSameSizeAs(runs.getList("runId"));
        assertThat(ok("/api/runs?host=" + store.machine().hostName()).getList("runId"))
                .as("by host name").hasSameSizeAs(runs.getList("runId"));
        assertThat(ok("/api/history?limit=5&host=" + machine).getList("events.metadata.machineId", String.class))
                .hasSize(5).containsOnly(machine);
        JsonPath unknown = problem(given().get("/api/history?host=no-such-machine"), 400);
        assertThat(unknown.getString("parameter")).isEqualTo("host");
        assertThat(unknown.getString("detail")).contains("no machine named 'no-such-machine'");
        assertThat(problem(given().get("/api/runs?host=no-such-machine"), 400).getString("parameter"))
                .isEqualTo("host");
    }

    @Test
    void runsListsEveryRunNewestFirstWithStatus() {
        JsonPath runs = ok("/api/runs");
        assertThat(runs.getList("runId", String.class)).as("all runs that reached the runs table")
                .containsExactlyInAnyOrder(R1.toString(), R2.toString(), R3.toString(), R5.toString());
        assertThat(runs.getString("[0].runId")).as("newest first").isEqualTo(R5.toString());

        JsonPath only50 = ok("/api/runs?domain=50.lok8s.dev");
        assertThat(only50.getList("runId", String.class)).as("domain filter").containsExactly(R2.toString());
        assertThat(only50.getString("[0].status")).isEqualTo("failed");
        assertThat(only50.getString("[0].failedStep")).isEqualTo("registry-build");
        assertThat(only50.getString("[0].error")).isEqualTo("image not found");

        assertThat(ok("/api/runs?limit=2").getList("runId")).as("limit").hasSize(2);
    }

    @Test
    void oneRunByIdOrPrefixHasItsSteps() {
        JsonPath run = ok("/api/runs/" + R1.toString().substring(0, 8));
        assertThat(run.getString("run.runId")).isEqualTo(R1.toString());
        assertThat(run.getString("run.status")).isEqualTo("completed");
        assertThat(run.getString("run.command")).isEqualTo("provision");
        assertThat(run.getList("steps.stepId", String.class)).as("steps in completion order")
                .containsExactly("network", "registry-build");
        assertThat(run.getList("steps.durationMs", Integer.class)).containsExactly(120, 880);
        assertThat(run.getList("steps.outcome", String.class)).containsExactly("created", "created");
        assertThat(run.getInt("run.resumes")).as("never resumed").isZero();
        assertThat(run.getInt("run.interruptions")).as("never interrupted").isZero();
        assertThat(run.getList("resumptions")).as("no resumptions").isEmpty();
    }

    @Test
    void anUnknownRunIs404AndAnAmbiguousPrefixIs400() {
        JsonPath missing = problem(given().get("/api/runs/ffffffff"), 404);
        assertThat(missing.getString("detail")).isEqualTo("no run matches 'ffffffff'");
        assertThat(missing.getString("instance")).isEqualTo("/api/runs/ffffffff");

        JsonPath ambiguous = problem(given().get("/api/runs/1a2b"), 400);
        assertThat(ambiguous.getString("parameter")).isEqualTo("id");
        assertThat(ambiguous.getString("detail")).contains("matches several runs");
    }

    // ---- history

    @Test
    void historyPagesByPositionWithANextCursor() {
        JsonPath first = ok("/api/history?domain=page.dev&limit=10");
        assertThat(first.getList("events.position", Long.class)).as("newest first")
                .containsExactly(43L, 42L, 41L, 40L, 39L, 38L, 37L, 36L, 35L, 34L);
        assertThat(first.getLong("next")).isEqualTo(34L);

        JsonPath second = ok("/api/history?domain=page.dev&limit=10&before=34");
        assertThat(second.getList("events.position", Long.class)).first().isEqualTo(33L);
        assertThat(second.getLong("next")).isEqualTo(24L);

        JsonPath last = ok("/api/history?domain=page.dev&limit=10&before=24");
        assertThat(last.getList("events.position", Long.class)).containsExactly(23L, 22L, 21L, 20L, 19L);
        assertThat(last.get("next") == null).as("no next on the last page").isTrue();
    }

    @Test
    void historyEventsCarryTheFieldsOfLoHistoryJson() {
        JsonPath page = ok("/api/history?type=NetworkCreated&limit=1");
        assertThat(page.getLong("events[0].position")).isEqualTo(10L);
        assertThat(page.getString("events[0].type")).isEqualTo("NetworkCreated");
        assertThat(page.getString("events[0].stream")).isEqualTo("project-p50");
        assertThat(page.getInt("events[0].version")).isEqualTo(1);
        assertThat(page.getInt("events[0].schemaVersion")).isEqualTo(1);
        assertThat(page.getString("events[0].domain")).isEqualTo("50.lok8s.dev");
        assertThat(page.getString("events[0].summary")).isEqualTo("p50 10.125.50.0/24");
        assertThat(page.getString("events[0].payload.cidr")).isEqualTo("10.125.50.0/24");
        assertThat(page.getString("events[0].metadata.runId")).isEqualTo(R2.toString());
        assertThat(page.getString("events[0].metadata.commandLine")).isEqualTo("lo provision 50.lok8s.dev");
        assertThat(page.getString("events[0].recordedAt")).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
        assertThat(page.getString("events[0].eventId")).hasSize(36);
    }

    @Test
    void historyFiltersByTypeRunAndTime() {
        assertThat(ok("/api/history?type=NetworkCreated").getList("events.position", Long.class))
                .as("type filter").containsExactly(10L, 3L, 2L);
        assertThat(ok("/api/history?run=" + R1.toString().substring(0, 8)).getList("events.position", Long.class))
                .as("run prefix filter").containsExactly(8L, 7L, 6L, 5L, 4L, 3L, 2L, 1L);
        assertThat(ok("/api/history?run=" + R3).getList("events.type", String.class))
                .containsExactly("RunRejected", "SubnetMismatchDetected");
        assertThat(ok("/api/history?since=2999-01-01").getList("events")).as("since in the future").isEmpty();
        assertThat(ok("/api/history?until=2000-01-01T00:00:00Z").getList("events")).as("until in the past").isEmpty();
        Response offset = given().queryParam("since", "2000-01-01T00:00:00+02:00").queryParam("domain", "lok8s.dev")
                .get("/api/history");
        assertThat(offset.statusCode()).as(offset.asString()).isEqualTo(200);
        assertThat(offset.jsonPath().getList("events")).as("offset time, combined with domain").hasSize(8);
    }

    @Test
    void badQueryParametersAre400NamingTheParameter() {
        Map<String, String> cases = Map.of(
                "/api/history?since=yesterday", "since",
                "/api/history?until=13:00", "until",
                "/api/history?limit=0", "limit",
                "/api/history?limit=10001", "limit",
                "/api/history?before=-5", "before",
                "/api/history?run=nosuchrun", "run",
                "/api/history?limt=5", "limt",
                "/api/runs?limit=abc", "limit",
                "/api/mismatches?before=x", "before",
                "/api/projects?domain=lok8s.dev", "domain");
        cases.forEach((url, parameter) -> {
            JsonPath p = problem(given().get(url), 400);
            assertThat(p.getString("parameter")).as(url).isEqualTo(parameter);
            assertThat(p.getString("detail")).as(url).startsWith(parameter + ": ");
        });
        assertThat(problem(given().get("/api/history?since=yesterday"), 400).getString("detail"))
                .isEqualTo("since: 'yesterday' is not an ISO-8601 time (for example 2026-11-27T18:01:02Z or 2026-11-27)");
    }

    @Test
    void historyAsJsonIsTheSameObjectsOnTheCommandLineAndTheApi() throws Exception {
        // both edges render one page through their own JSON mapping: lo history -o json, GET /api/history
        var page = store.query(HistoryQuery.latest(30));
        assertThat(page.events()).as("a page with events of several types").hasSize(30);
        JsonNode commandLine = new ObjectMapper().readTree(
                OutputOptions.jsonMapper().writeValueAsString(HistoryCommand.json(page.events())));
        JsonNode api = new ObjectMapper().readTree(given().get("/api/history?limit=30").then().statusCode(200)
                .extract().asString()).get("events");

        assertThat(commandLine).isEqualTo(api);
        assertThat(commandLine.get(0).fieldNames()).toIterable().containsExactly("position", "eventId", "type",
                "schemaVersion", "stream", "version", "recordedAt", "domain", "summary", "metadata", "payload");
    }

    // ---- projects and networks

    @Test
    void projectsShowTheirSubnetAndTheNetworksTheyUse() {
        JsonPath projects = ok("/api/projects");
        assertThat(projects.getList("name", String.class)).containsExactly("dup", "lok8s", "p50");

        JsonPath lok8s = ok("/api/projects/lok8s");
        assertThat(lok8s.getString("domain")).isEqualTo("lok8s.dev");
        assertThat(lok8s.getInt("slot")).isEqualTo(125);
        assertThat(lok8s.getString("subnet")).isEqualTo("10.125.125.0/24");
        assertThat(lok8s.getString("network")).isEqualTo("lok8s");
        assertThat(lok8s.getList("networks.name", String.class)).containsExactly("lok8s", "lok8s-registries");
        assertThat(lok8s.getString("networks[1].scope")).isEqualTo("shared");
        assertThat(lok8s.getString("networks[1].cidr")).isEqualTo("10.125.200.0/24");
        assertThat(lok8s.getList("networks[1].nodes", String.class)).containsExactly("lok8s-control-plane");

        assertThat(problem(given().get("/api/projects/nope"), 404).getString("detail")).isEqualTo("no project 'nope'");
    }

    @Test
    void networksShowWhichProjectsUseThem() {
        JsonPath networks = ok("/api/networks");
        assertThat(networks.getList("name", String.class)).containsExactly("dup", "lok8s", "lok8s-registries", "p50");

        JsonPath shared = ok("/api/networks/lok8s-registries");
        assertThat(shared.getString("scope")).isEqualTo("shared");
        assertThat(shared.getString("project")).as("the shared network has no owner").isNull();
        assertThat(shared.getList("projects", String.class)).containsExactly("lok8s");
        assertThat(shared.getList("nodes.node", String.class)).containsExactly("lok8s-control-plane");

        assertThat(ok("/api/networks/p50").getList("projects", String.class)).as("the owner uses it")
                .containsExactly("p50");
        problem(given().get("/api/networks/nope"), 404);
    }

    // ---- mismatches

    @Test
    void mismatchesAreCurrentAndHistorical() {
        JsonPath m = ok("/api/mismatches");
        assertThat(m.getList("historical.position", Long.class)).as("every SubnetMismatchDetected, newest first")
                .containsExactly(16L, 13L);
        assertThat(m.getList("historical.project", String.class)).containsExactly("fixed", "other");

        List<Map<String, Object>> current = m.getList("current");
        assertThat(current).extracting(f -> f.get("project") + " " + f.get("kind")).as("fixed is fixed: a run completed after")
                .containsExactly("dup PROJECT_SUBNET_IN_USE", "lok8s PROJECT_SUBNET_IN_USE", "other SHARED_NETWORK_SUBNET");
        assertThat(current.get(2).get("error")).isEqualTo(
                "error: registry network 'lok8s-registries' exists with subnet 10.125.200.0/24, expected 10.0.0.0/24");
        assertThat(current.get(2).get("fix")).isEqualTo(
                "fix: align spec.registries.shared.network.cidr with the existing network, or run: lo registry clean --shared && lo provision other.dev");
        assertThat(current.get(2).get("detectedAt")).isEqualTo(13);
        assertThat(current.get(0).get("error")).isEqualTo(
                "error: project subnet 10.125.125.0/24 is already used by project 'lok8s' (domain lok8s.dev, subnet 10.125.125.0/24)");

        JsonPath other = ok("/api/mismatches?domain=other.dev");
        assertThat(other.getList("current.project", String.class)).containsExactly("other");
        assertThat(other.getList("historical.position", Long.class)).containsExactly(13L);

        JsonPath paged = ok("/api/mismatches?limit=1");
        assertThat(paged.getList("historical.position", Long.class)).containsExactly(16L);
        assertThat(paged.getLong("next")).isEqualTo(16L);
    }

    // ---- problems, methods, CORS

    @Test
    void errorsAreProblemDetailsWithoutStackTraces() {
        Response unknown = given().get("/api/nothing-here");
        JsonPath p = problem(unknown, 404);
        assertThat(p.getString("title")).isEqualTo("Not Found");
        assertThat(unknown.asString()).as("no stack trace or exception class")
                .doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("stack");

        JsonPath post = problem(given().post("/api/runs"), 405);
        assertThat(post.getString("detail")).contains("read-only");
    }

    @Test
    void noCorsHeadersByDefault() {
        Response r = given().header("Origin", "http://elsewhere.example").get("/api/runs");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.header("Access-Control-Allow-Origin")).as("no CORS").isNull();
        Response preflight = given().header("Origin", "http://elsewhere.example")
                .header("Access-Control-Request-Method", "GET").options("/api/runs");
        assertThat(preflight.header("Access-Control-Allow-Origin")).as("no CORS on preflight").isNull();
    }

    // ---- OpenAPI, Swagger UI, health, metrics

    @Test
    void openApiDocumentsEveryEndpointAndSwaggerUiIsServed() {
        JsonPath doc = ok("/q/openapi?format=json");
        Map<String, Object> paths = doc.getMap("paths");
        assertThat(paths).containsKeys("/api/runs", "/api/runs/{id}", "/api/history", "/api/projects",
                "/api/projects/{name}", "/api/networks", "/api/networks/{name}", "/api/mismatches",
                "/api/events/stream");
        Response ui = given().get("/q/swagger-ui/");
        assertThat(ui.statusCode()).isEqualTo(200);
        assertThat(ui.asString()).contains("swagger");
    }

    @Test
    void healthChecksTheStoreAndDocker() {
        JsonPath ready = ok("/q/health/ready");
        assertThat(ready.getString("status")).isEqualTo("UP");
        assertThat(ready.getList("checks.name", String.class)).contains("event-store");

        Response all = given().get("/q/health");
        assertThat(all.statusCode()).as("UP or, with Docker down, DOWN").isIn(200, 503);
        assertThat(all.jsonPath().getList("checks.name", String.class)).contains("event-store", "docker");
    }

    @Test
    void prometheusMetricsCountRunsStepsFailuresAndDurations() {
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).contains("lo_runs{status=\"completed\"} 2.0")
                .contains("lo_runs{status=\"failed\"} 1.0")
                .contains("lo_runs{status=\"rejected\"} 1.0")
                .contains("lo_run_failures_total 1.0")
                .contains("lo_steps_total{outcome=\"created\"} 3.0")
                .contains("lo_step_duration_seconds_count{outcome=\"created\"} 3")
                .contains("lo_step_duration_seconds_sum{outcome=\"created\"} 1.05")
                .contains("lo_run_duration_seconds_count{status=\"completed\"} 2")
                .contains("lo_store_head_position");
    }

    // ---- the Host check (DNS rebinding)

    @Test
    void requestsAddressedToAnotherNameThanLoopbackAre403Problems() throws Exception {
        for (String path : new String[] {"/api/history", "/api/events/stream", "/q/metrics"}) {
            String answer = rawGet(path, "rebind.example:" + streamUrl.getPort());
            assertThat(answer).as(path).startsWith("HTTP/1.1 403");
            assertThat(answer).contains("application/problem+json").contains("/problems/host-not-allowed")
                    .contains("127.0.0.1, localhost or [::1]").doesNotContain("\"events\"");
        }
        for (String host : new String[] {"127.0.0.1:" + streamUrl.getPort(), "localhost", "[::1]:" + streamUrl.getPort()}) {
            assertThat(rawGet("/api/runs", host)).as(host).startsWith("HTTP/1.1 200");
        }
    }

    /** A GET on a raw socket, with exactly the Host header given; the whole answer as text. */
    private String rawGet(String path, String host) throws Exception {
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", streamUrl.getPort())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    // ---- the live stream

    @Test
    void theStreamDeliversAnEventAppendedWhileConnected() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(streamUrl.toURI()).header("Accept", "text/event-stream").build();
        HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                t -> assertThat(t).startsWith("text/event-stream"));
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            List<String> hello = readUntil(lines, l -> l.startsWith(":following the log"), Duration.ofSeconds(10));
            long head = store.headPosition();
            assertThat(hello.getLast()).as("connected at the head").isEqualTo(":following the log after position " + head);

            store.append("project-sse", ExpectedVersion.ANY,
                    List.of(new CertsDirWritten("sse.dev", "sse", "/sse/certs.d", List.of("hosts.toml"))),
                    EventMetadata.local(null, "test", "test"));

            List<String> event = readUntil(lines, l -> l.startsWith("data:"), Duration.ofSeconds(10));
            assertThat(event).as("the appended event, nothing older").contains("id:" + (head + 1), "event:CertsDirWritten")
                    .noneMatch(l -> l.startsWith("id:") && !l.equals("id:" + (head + 1)));
            JsonPath data = new JsonPath(event.getLast().substring("data:".length()));
            assertThat(data.getLong("position")).isEqualTo(head + 1);
            assertThat(data.getString("domain")).isEqualTo("sse.dev");
            assertThat(data.getString("payload.path")).isEqualTo("/sse/certs.d");
        }
    }

    @Test
    void theStreamResumesAfterLastEventIdOrAfter() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        for (HttpRequest request : List.of(
                HttpRequest.newBuilder(streamUrl.toURI()).header("Last-Event-ID", "41").build(),
                HttpRequest.newBuilder(URI.create(streamUrl + "?after=41")).build())) {
            HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                List<String> got = readUntil(lines, l -> l.equals("id:43"), Duration.ofSeconds(10));
                assertThat(got.stream().filter(l -> l.startsWith("id:")).toList()).as(request.uri() + " " + request.headers())
                        .containsExactly("id:42", "id:43");
            }
        }
        problem(given().get("/api/events/stream?after=soon"), 400);
    }

    // ---- helpers

    private static JsonPath ok(String url) {
        Response r = given().get(url);
        assertThat(r.statusCode()).as(url + ": " + r.asString()).isEqualTo(200);
        assertThat(r.contentType()).as(url).startsWith("application/json");
        return r.jsonPath();
    }

    static JsonPath problem(Response r, int status) {
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(status);
        assertThat(r.contentType()).as("problem media type").startsWith(Problem.MEDIA_TYPE);
        JsonPath p = r.jsonPath();
        assertThat(p.getInt("status")).isEqualTo(status);
        assertThat(p.getString("title")).isNotBlank();
        assertThat(p.getString("type")).isNotBlank();
        assertThat(p.getString("detail")).isNotBlank();
        assertThat(r.asString()).as("no stack trace").doesNotContain("\tat ").doesNotContain("Exception");
        return p;
    }

    /** Reads lines until one matches, within a deadline (the read itself runs on another thread). */
    private static List<String> readUntil(BufferedReader reader, java.util.function.Predicate<String> last,
                                          Duration timeout) throws Exception {
        ExecutorService ex = Executors.newSingleThreadExecutor();
        List<String> seen = java.util.Collections.synchronizedList(new ArrayList<>());
        try {
            Future<List<String>> f = ex.submit(() -> {
                String line;
                while ((line = reader.readLine()) != null) {
                    seen.add(line);
                    if (last.test(line)) {
                        return List.copyOf(seen);
                    }
                }
                throw new AssertionError("stream ended before the expected line; saw " + seen);
            });
            return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("no matching line within " + timeout + "; saw " + seen);
        } finally {
            ex.shutdownNow();
        }
    }
}
