package dev.lok8s.lo.registry;

import dev.lok8s.lo.events.BoundedText;
import dev.lok8s.lo.plan.PlannedRegistry;
import dev.lok8s.lo.retry.Backoff;
import dev.lok8s.lo.retry.Retry;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

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
    private final UnaryOperator<URI> route;

    public RegistryProbe(Duration registryWait, Duration mirrorWait) {
        this(registryWait, mirrorWait, UnaryOperator.identity());
    }

    /**
     * @param route where a registry's API root is asked instead of its own address: the AOT training run
     *              ({@code lo train}) sends every probe to a registry of its own on 127.0.0.1
     */
    public RegistryProbe(Duration registryWait, Duration mirrorWait, UnaryOperator<URI> route) {
        this.registryWait = registryWait;
        this.mirrorWait = mirrorWait;
        this.route = route;
    }

    public Map<PlannedRegistry, Answer> probeAll(List<PlannedRegistry> registries, String caPem) {
        return probeAll(registries, caPem, registry -> true);
    }

    /**
     * @param justStarted which registries this run (re)started: only those mirrors get the bounded
     *                    wait; the others are asked once, since nothing about them changed
     */
    public Map<PlannedRegistry, Answer> probeAll(List<PlannedRegistry> registries, String caPem,
                                                 Predicate<PlannedRegistry> justStarted) {
        // A bare HTTP/1.1 request over a socket: the JDK's HttpClient would load its own stack and,
        // without a CA, the JDK's whole trust store (~0.2 s of a run that finds everything in place).
        SSLSocketFactory tls = caPem == null ? null : trusting(caPem).getSocketFactory();
        Map<PlannedRegistry, Future<Answer>> futures = new LinkedHashMap<>();
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (PlannedRegistry registry : registries) {
                // build and cache answer at once when up, so waiting costs nothing; a mirror whose
                // upstream is away never answers, so it is waited for only right after a (re)start.
                Duration wait = !registry.isMirror() ? registryWait
                        : justStarted.test(registry) ? mirrorWait : Duration.ZERO;
                URI root = route.apply(v2(registry));
                futures.put(registry, executor.submit(() -> probe(root, tls, wait)));
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

    private static Answer probe(URI uri, SSLSocketFactory tls, Duration wait) throws InterruptedException {
        return Retry.SYSTEM.poll(Backoff.fixed(PAUSE, wait), () -> probeOnce(uri, tls), Answer::ok);
    }

    private static final Duration PAUSE = Duration.ofMillis(150);

    /** One {@code GET} of the URI; in TLS mode ({@code caPem} given) trusting only that CA. */
    public static Answer probeOnce(URI uri, String caPem) {
        return probeOnce(uri, caPem == null ? null : trusting(caPem).getSocketFactory());
    }

    /**
     * One {@code GET} of the URI over a new connection; only the status line is read. Registries are
     * on local bridges: a listening one accepts at once, one without an address (restarting) never
     * does, so a short connect timeout keeps the latter from stalling a run.
     */
    static Answer probeOnce(URI uri, SSLSocketFactory tls) {
        return probeOnce(uri, tls, EXCHANGE_DEADLINE);
    }

    /**
     * @param deadline for the whole exchange, connecting included: each read also has its own timeout, but
     *                 an answer trickled a byte at a time would pass every one of them, so the socket is
     *                 closed when the deadline comes
     */
    static Answer probeOnce(URI uri, SSLSocketFactory tls, Duration deadline) {
        String host = uri.getHost();
        int port = uri.getPort() >= 0 ? uri.getPort() : tls != null ? 443 : 80;
        AtomicBoolean expired = new AtomicBoolean();
        try (Socket plain = new Socket()) {
            Thread watchdog = Thread.ofVirtual().start(() -> {
                try {
                    Thread.sleep(deadline);
                    expired.set(true);
                    plain.close();
                } catch (InterruptedException | IOException answered) {
                    // the exchange ended first
                }
            });
            try {
                return exchange(plain, uri, host, port, tls);
            } finally {
                watchdog.interrupt();
            }
        } catch (IOException e) {
            if (expired.get()) {
                return new Answer(false, 0, "no answer within " + deadline.toMillis() + " ms");
            }
            return new Answer(false, 0, e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        }
    }

    private static Answer exchange(Socket plain, URI uri, String host, int port, SSLSocketFactory tls)
            throws IOException {
        plain.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MS);
        plain.setSoTimeout(READ_TIMEOUT_MS);
        Socket socket = plain;
        if (tls != null) {
            SSLSocket secure = (SSLSocket) tls.createSocket(plain, host, port, true);
            SSLParameters parameters = secure.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");  // the certificate must name this host
            secure.setSSLParameters(parameters);
            secure.startHandshake();
            socket = secure;
        }
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: " + host + ":" + port
                + "\r\nUser-Agent: lo\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        int status = statusCode(statusLine(socket.getInputStream()));
        // 401 is a registry asking for credentials: it is up.
        boolean ok = status == 200 || status == 401;
        return new Answer(ok, status, ok ? null : "HTTP " + status);
    }

    /** The first line of the answer, at most 256 bytes (a status line is about 20). */
    static String statusLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b = in.read(); b != -1 && b != '\n'; b = in.read()) {
            if (line.length() >= 256) {
                throw new IOException("status line longer than 256 bytes");
            }
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }

    /** {@code HTTP/1.1 200 OK} → 200. */
    static int statusCode(String statusLine) throws IOException {
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/") || !parts[1].matches("[1-5][0-9][0-9]")) {
            throw new IOException("not an HTTP answer: " + BoundedText.cut(statusLine, 60));
        }
        return Integer.parseInt(parts[1]);
    }

    private static final int CONNECT_TIMEOUT_MS = 800;
    private static final int READ_TIMEOUT_MS = 2000;
    /** A registry on a local bridge answers {@code GET /v2/} in milliseconds; a trickle of bytes is not an answer. */
    static final Duration EXCHANGE_DEADLINE = Duration.ofSeconds(3);

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
