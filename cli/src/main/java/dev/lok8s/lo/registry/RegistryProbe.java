package dev.lok8s.lo.registry;

import dev.lok8s.lo.plan.PlannedRegistry;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Asks each registry {@code GET /v2/} until it answers or a bounded wait runs out. All registries
 * are probed at once, so the wait is that of the slowest, not the sum.
 */
public final class RegistryProbe {

    /** A registry's answer: ok, or why not. */
    public record Answer(boolean ok, int status, String error) {
    }

    private final Duration registryWait;
    private final Duration mirrorWait;

    public RegistryProbe(Duration registryWait, Duration mirrorWait) {
        this.registryWait = registryWait;
        this.mirrorWait = mirrorWait;
    }

    public Map<PlannedRegistry, Answer> probeAll(List<PlannedRegistry> registries, String caPem) {
        return probeAll(registries, caPem, registry -> true);
    }

    /**
     * @param justStarted which registries this run (re)started: only those mirrors get the bounded
     *                    wait; the others are asked once, since nothing about them changed
     */
    public Map<PlannedRegistry, Answer> probeAll(List<PlannedRegistry> registries, String caPem,
                                                 java.util.function.Predicate<PlannedRegistry> justStarted) {
        HttpClient client = client(caPem);
        Map<PlannedRegistry, Future<Answer>> futures = new LinkedHashMap<>();
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (PlannedRegistry registry : registries) {
                // build and cache answer at once when up, so waiting costs nothing; a mirror whose
                // upstream is away never answers, so it is waited for only right after a (re)start.
                Duration wait = !registry.isMirror() ? registryWait
                        : justStarted.test(registry) ? mirrorWait : Duration.ZERO;
                futures.put(registry, executor.submit(() -> probe(client, v2(registry), wait)));
            }
            Map<PlannedRegistry, Answer> answers = new LinkedHashMap<>();
            for (var entry : futures.entrySet()) {
                try {
                    answers.put(entry.getKey(), entry.getValue().get());
                } catch (ExecutionException e) {
                    answers.put(entry.getKey(), new Answer(false, 0, String.valueOf(e.getCause())));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    answers.put(entry.getKey(), new Answer(false, 0, "interrupted"));
                }
            }
            return answers;
        }
    }

    /** The registry's API root, from its catalog URL. */
    static URI v2(PlannedRegistry registry) {
        String url = registry.url();
        int at = url.indexOf("/v2/");
        return URI.create((at >= 0 ? url.substring(0, at) : url) + "/v2/");
    }

    public static Answer probeOnce(HttpClient client, URI uri) {
        try {
            HttpResponse<Void> response = client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2))
                    .GET().build(), HttpResponse.BodyHandlers.discarding());
            // 401 is a registry asking for credentials: it is up.
            boolean ok = response.statusCode() == 200 || response.statusCode() == 401;
            return new Answer(ok, response.statusCode(), ok ? null : "HTTP " + response.statusCode());
        } catch (java.io.IOException e) {
            return new Answer(false, 0, e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(false, 0, "interrupted");
        }
    }

    private static Answer probe(HttpClient client, URI uri, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        Answer answer;
        do {
            answer = probeOnce(client, uri);
            if (answer.ok()) {
                return answer;
            }
            Thread.sleep(150);
        } while (System.nanoTime() < deadline);
        return answer;
    }

    /** A client that trusts only the given CA in TLS mode (so verification is real), or the JDK's defaults. */
    public static HttpClient client(String caPem) {
        // Registries are on local bridges: a listening one accepts at once, one without an address
        // (restarting) never does; a short connect timeout keeps the latter from stalling a run.
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(800));
        if (caPem != null) {
            builder.sslContext(trusting(caPem));
        }
        return builder.build();
    }

    static SSLContext trusting(String caPem) {
        try {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            var certificate = CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(caPem.getBytes(StandardCharsets.US_ASCII)));
            trust.setCertificateEntry("lok8s-ca", certificate);
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        } catch (Exception e) {
            throw new IllegalStateException("cannot load the registry CA: " + e.getMessage(), e);
        }
    }
}
