package dev.lok8s.lo.cache;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A registry for tests that can misbehave: a real HTTP server (the JDK's) on 127.0.0.1 serving the
 * few paths of the registry API a warm reads, each answer a handler the test chooses (a well-formed
 * image, or a trickle, an endless body, a lie about a size or a digest). It counts the bytes it wrote
 * and the most blob requests it served at once.
 */
final class TestRegistry implements AutoCloseable {

    /** Answers one request. */
    interface Handler {
        void handle(HttpExchange exchange) throws IOException, InterruptedException;
    }

    private final HttpServer server;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final Map<String, Handler> handlers = new ConcurrentHashMap<>();
    final AtomicLong bytesWritten = new AtomicLong();
    final AtomicInteger blobsNow = new AtomicInteger();
    final AtomicInteger mostBlobsAtOnce = new AtomicInteger();

    TestRegistry() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.setExecutor(threads);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            Handler handler = handlers.get(path);
            boolean blob = path.contains("/blobs/");
            if (blob) {
                mostBlobsAtOnce.accumulateAndGet(blobsNow.incrementAndGet(), Math::max);
                inFlight.put(exchange, Boolean.TRUE);
            }
            try (exchange) {
                if (handler == null) {
                    send(exchange, 404, "application/json",
                            "{\"errors\":[{\"code\":\"NOT_FOUND\",\"message\":\"no handler for " + path + "\"}]}");
                } else {
                    handler.handle(exchange);
                }
            } catch (IOException e) {
                // the client went away, as lo does when a body breaks a bound
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                if (blob) {
                    ended(exchange);
                }
            }
        });
        server.start();
    }

    URI base() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    RegistryHttp http() {
        return new RegistryHttp(HttpClient.newHttpClient(), base(), Duration.ofSeconds(10));
    }

    void on(String path, Handler handler) {
        handlers.put(path, handler);
    }

    /** A well-formed image: {@code repo:tag} with these blobs (the first is the config). Returns the manifest's bytes. */
    byte[] image(String repo, String tag, List<byte[]> blobs, Map<String, String> manifestHeaders) {
        List<String> descriptors = new ArrayList<>();
        for (byte[] blob : blobs) {
            String digest = digest(blob);
            descriptors.add("{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\"" + digest
                    + "\",\"size\":" + blob.length + "}");
            on("/v2/" + repo + "/blobs/" + digest, exchange -> send(exchange, 200, "application/octet-stream", blob));
        }
        byte[] manifest = manifest(descriptors);
        on("/v2/" + repo + "/manifests/" + tag, exchange -> {
            manifestHeaders.forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
            send(exchange, 200, Manifest.OCI_MANIFEST, manifest);
        });
        return manifest;
    }

    /** An OCI image manifest whose config is the first descriptor and layers the rest. */
    static byte[] manifest(List<String> descriptors) {
        return ("{\"schemaVersion\":2,\"mediaType\":\"" + Manifest.OCI_MANIFEST + "\",\"config\":" + descriptors.getFirst()
                + ",\"layers\":[" + String.join(",", descriptors.subList(1, descriptors.size())) + "]}")
                .getBytes(StandardCharsets.UTF_8);
    }

    static String descriptor(String digest, long size) {
        return "{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\"" + digest + "\",\"size\":"
                + size + "}";
    }

    void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        send(exchange, status, type, body.getBytes(StandardCharsets.UTF_8));
    }

    void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            if (body.length > 0) {
                // a blob stops counting as in flight before its last byte goes out: a client that has read
                // it all may ask for the next one at once, before this thread gets to run again
                out.write(body, 0, body.length - 1);
                out.flush();
                ended(exchange);
                out.write(body, body.length - 1, 1);
            }
            bytesWritten.addAndGet(body.length);
        }
    }

    /** Blob exchanges not yet counted as over (exchange attributes are shared by a context's exchanges). */
    private final Map<HttpExchange, Boolean> inFlight = new ConcurrentHashMap<>();

    /** Counts a blob's exchange as over, once. */
    private void ended(HttpExchange exchange) {
        if (inFlight.remove(exchange) != null) {
            blobsNow.decrementAndGet();
        }
    }

    /** Writes {@code chunk} every {@code pause} for as long as the client reads (no Content-Length). */
    void trickle(HttpExchange exchange, String type, byte[] chunk, Duration pause) throws IOException,
            InterruptedException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        long until = System.nanoTime() + Duration.ofMinutes(2).toNanos();  // bound the test's own server too
        while (System.nanoTime() < until) {
            out.write(chunk);
            out.flush();
            bytesWritten.addAndGet(chunk.length);
            if (!pause.isZero()) {
                Thread.sleep(pause);
            }
        }
    }

    static String digest(byte[] bytes) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
