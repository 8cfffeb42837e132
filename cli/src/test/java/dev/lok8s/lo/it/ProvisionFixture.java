package dev.lok8s.lo.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lok8s.lo.plan.Labels;
import dev.lok8s.lo.spec.SpecBuilder;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static dev.lok8s.lo.it.TestDocker.docker;
import static dev.lok8s.lo.it.TestDocker.exec;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the provision ITs set up around {@code lo}: spec files in a project directory, networks the
 * test owns, and a seeded upstream registry for the mirrors (never a public registry). Every
 * resource carries the test's {@code dev.lok8s.test} label; subnets come from the caller.
 */
final class ProvisionFixture {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String UPSTREAM_OFFSET = "150";
    static final String SEED_SOURCE = "lok8s.local/test-busybox:1";
    static final String SEED_REPOSITORY = "library/demo";

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    private final LoCli lo;
    private final Path root;

    ProvisionFixture(LoCli lo, Path root) {
        this.lo = lo;
        this.root = root;
    }

    String testLabel() {
        return "dev.lok8s.test=" + lo.testId();
    }

    /** The address at {@code offset} of a /24 given as {@code a.b.c.0/24}. */
    static String host(String cidr, String offset) {
        String base = cidr.substring(0, cidr.lastIndexOf('.'));
        return base + "." + offset;
    }

    // specs

    /** Writes {@code clusters/<domain>/cluster.lok8s.yaml}; {@code sharedName == null} means shared mode off. */
    Path writeSpec(String domain, String name, String cidr, String sharedName, String sharedCidr, String mirrorUrl) {
        SpecBuilder spec = SpecBuilder.named(name).network(name, cidr);
        spec = sharedName == null ? spec.shared(false) : spec.shared(true).sharedNetwork(sharedName, sharedCidr);
        return write(domain, spec.mirrors("io-docker", mirrorUrl));
    }

    /** Writes {@code clusters/<domain>/cluster.lok8s.yaml} in the root, where {@code lo provision <domain>} finds it. */
    Path write(String domain, SpecBuilder spec) {
        return spec.writeProject(root, domain);
    }

    // networks and the upstream registry

    /**
     * Creates a network the way lo would (lo's labels, gateway .1, nodes' dynamic range .192/26) plus the
     * test label, so that lo adopts it.
     */
    void createLoLikeNetwork(String name, String cidr, boolean shared, String project) {
        List<String> args = new ArrayList<>(List.of("network", "create", "--subnet", cidr,
                "--gateway", host(cidr, "1"), "--ip-range", host(cidr, "192") + "/26",
                "--label", Labels.MANAGED_BY + "=" + Labels.MANAGED_BY_LO,
                "--label", Labels.ROLE + "=" + Labels.ROLE_NETWORK,
                "--label", Labels.SCOPE + "=" + (shared ? "shared" : "project"),
                "--label", testLabel()));
        if (!shared) {
            args.addAll(List.of("--label", Labels.PROJECT + "=" + project));
        }
        args.add(name);
        docker(args.toArray(String[]::new));
    }

    /** A registry on {@code network} at .150, published on a free loopback port, seeded with library/demo:1. */
    Upstream startSeededUpstream(String name, String network, String cidr) {
        String ip = host(cidr, UPSTREAM_OFFSET);
        docker("run", "-d", "--name", name, "--label", testLabel(), "--network", network, "--ip", ip,
                "-p", "127.0.0.1::5000", LoCli.REGISTRY_IMAGE);
        String published = docker("port", name, "5000/tcp").lines().findFirst().orElseThrow();
        int port = Integer.parseInt(published.substring(published.lastIndexOf(':') + 1));
        awaitHttp("http://127.0.0.1:" + port + "/v2/", Duration.ofSeconds(30));
        String tag = "127.0.0.1:" + port + "/" + SEED_REPOSITORY + ":1";
        docker("tag", SEED_SOURCE, tag);
        try {
            docker("push", tag);
        } finally {
            exec("rmi", tag); // only the tag; the source image stays
        }
        return new Upstream(name, ip, port);
    }

    record Upstream(String container, String ip, int port) {
        String mirrorUrl() {
            return "http://" + ip + ":5000";
        }
    }

    // reading what lo and docker say

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    /** {@code lo provision -o json} in the root, asserting its exit code. */
    JsonNode provision(int expectedExit, String domain) {
        LoCli.Result result = lo.run(root, "provision", domain, "-o", "json");
        assertThat(result.exitCode()).as("lo provision %s exit code\n%s", domain, result).isEqualTo(expectedExit);
        return json(result.stdout());
    }

    /** Step id → outcome, from the run's StepCompleted events in {@code lo history}. */
    Map<String, String> stepOutcomes(String runId) {
        Map<String, String> outcomes = new TreeMap<>();
        for (JsonNode event : history("--run", runId, "--type", "StepCompleted")) {
            outcomes.put(event.path("payload").path("stepId").asText(), event.path("payload").path("outcome").asText());
        }
        return outcomes;
    }

    /** {@code lo history -o json --limit 500 args...}. */
    List<JsonNode> history(String... args) {
        List<String> all = new ArrayList<>(List.of("history", "-o", "json", "--limit", "500"));
        all.addAll(List.of(args));
        LoCli.Result result = lo.run(root, all.toArray(String[]::new));
        assertThat(result.exitCode()).as("lo history\n%s", result).isZero();
        List<JsonNode> events = new ArrayList<>();
        json(result.stdout()).forEach(events::add);
        return events;
    }

    /** The newest run in {@code lo runs -o json}. */
    JsonNode latestRun() {
        LoCli.Result result = lo.run(root, "runs", "-o", "json");
        assertThat(result.exitCode()).as("lo runs\n%s", result).isZero();
        JsonNode runs = json(result.stdout());
        assertThat(runs.size()).as("runs recorded").isPositive();
        return runs.get(0);
    }

    LoCli.Result runsShow(String runId) {
        LoCli.Result result = lo.run(root, "runs", "show", runId);
        assertThat(result.exitCode()).as("lo runs show %s\n%s", runId, result).isZero();
        return result;
    }

    /** Name → full id of every container (registries, nodes, the test's own) of this test. */
    Map<String, String> containerIds() {
        Map<String, String> ids = new TreeMap<>();
        for (String label : List.of(testLabel(), "dev.lok8s.test.id=" + lo.testId())) {
            for (String line : TestDocker.lines(docker("ps", "-a", "--no-trunc", "--filter", "label=" + label,
                    "--format", "{{.Names}} {{.ID}}"))) {
                String[] parts = line.split(" ");
                ids.put(parts[0], parts[1]);
            }
        }
        return ids;
    }

    static Map<String, String> networksOf(String container) {
        String text = docker("inspect", container, "--format",
                "{{range $k, $v := .NetworkSettings.Networks}}{{$k}}={{$v.IPAddress}} {{end}}");
        Map<String, String> networks = new LinkedHashMap<>();
        for (String pair : text.split(" ")) {
            if (!pair.isBlank()) {
                networks.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
            }
        }
        return networks;
    }

    /** {@code docker exec <node> ctr ...}; the exec result, not asserted. */
    static TestDocker.Exec ctr(String node, String... args) {
        List<String> all = new ArrayList<>(List.of("exec", node, "ctr"));
        all.addAll(List.of(args));
        return exec(all.toArray(String[]::new));
    }

    /** GET on a registry this test created (a container IP or loopback), bounded. */
    static String get(String url) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as("GET %s", url).isEqualTo(200);
            return response.body();
        } catch (IOException e) {
            throw new AssertionError("GET " + url + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    static void awaitHttp(String url, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<Void> response = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
                last = "status " + response.statusCode();
            } catch (IOException e) {
                last = e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
        throw new AssertionError(url + " did not answer 200 within " + timeout.toSeconds() + " s (" + last + ")");
    }
}
