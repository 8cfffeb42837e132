package dev.lok8s.lo.cache;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * A registry of one small image on 127.0.0.1 for the AOT training run ({@code lo train}): warming it
 * puts the HTTP client's and the warm's classes into the cache, so {@code lo registry warm} does not
 * load and link them from the jars at every start; it also answers the API root ({@code /v2/}), as the
 * probes and upstream checks of the training's provision and status ask it. A few lines of HTTP/1.1
 * over a socket, one request per connection; it serves only those paths and lives as long as the run.
 */
public final class TrainingRegistry implements AutoCloseable {

    private static final String IMAGE = "docker.io/lo/train:1";

    private final ServerSocket server;
    private final Map<String, byte[]> paths;

    private TrainingRegistry() throws IOException {
        byte[] config = "{}".getBytes(StandardCharsets.UTF_8);
        byte[] layer = new byte[2 * 1024 * 1024];
        for (int i = 0; i < layer.length; i++) {
            layer[i] = (byte) (i * 31 + (i >>> 9));
        }
        String configDigest = "sha256:" + RegistryHttp.sha256(config);
        String layerDigest = "sha256:" + RegistryHttp.sha256(layer);
        byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"" + Manifest.OCI_MANIFEST + "\",\"config\":{"
                + "\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + configDigest
                + "\",\"size\":" + config.length + "},\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer."
                + "v1.tar\",\"digest\":\"" + layerDigest + "\",\"size\":" + layer.length + "}]}")
                .getBytes(StandardCharsets.UTF_8);
        paths = Map.of("/v2/", "{}".getBytes(StandardCharsets.UTF_8), "/v2/lo/train/manifests/1", manifest,
                "/v2/lo/train/blobs/" + configDigest, config, "/v2/lo/train/blobs/" + layerDigest, layer);
        server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Thread.ofPlatform().daemon().name("lo-train-registry").start(this::serve);
    }

    /** Starts one on a free port of 127.0.0.1; closing it stops it. */
    public static TrainingRegistry start() throws IOException {
        return new TrainingRegistry();
    }

    /** {@code http://127.0.0.1:PORT} */
    public URI base() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    /** Starts it, warms its image through lo's own warm, and stops it. */
    public static CacheWarmer.Warmed warmOnce() throws IOException {
        try (TrainingRegistry registry = new TrainingRegistry()) {
            URI base = registry.base();
            RegistryHttp http = new RegistryHttp(RegistryClients.plain(), base, Duration.ofSeconds(10));
            return new CacheWarmer(null, WarmLimits.DEFAULTS).warm(ImageName.parse(IMAGE), "train", http,
                    digest -> false, new CacheWarmer.Listener() {
                        @Override
                        public void resolved(ImageName image, String digest, int blobs, long bytes) {
                        }

                        @Override
                        public void progress(ImageName image, int doneBlobs, int blobs, long doneBytes, long bytes) {
                        }
                    }, WarmLimits.DEFAULTS.overall());
        }
    }

    private void serve() {
        while (!server.isClosed()) {
            try (Socket socket = server.accept()) {
                socket.setSoTimeout(10_000);
                String[] request = request(socket.getInputStream());
                String path = request == null ? null : request[1];
                boolean head = request != null && request[0].equals("HEAD");
                byte[] body = path == null ? null : paths.get(path);
                String status = body == null
                        ? "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                        : "HTTP/1.1 200 OK\r\nContent-Type: " + (path.contains("/manifests/") ? Manifest.OCI_MANIFEST
                        : "application/octet-stream") + "\r\nContent-Length: " + body.length
                        + "\r\nConnection: close\r\n\r\n";
                OutputStream out = socket.getOutputStream();
                out.write(status.getBytes(StandardCharsets.US_ASCII));
                if (body != null && !head) {
                    out.write(body);
                }
                out.flush();
            } catch (IOException e) {
                // closed, or a client gone: the training run reports its own failure
            }
        }
    }

    /** The method and path of a GET or HEAD, its headers read to the blank line; null for anything else. */
    private static String[] request(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        int b;
        while ((b = in.read()) != -1 && head.length() < 16 * 1024) {
            head.append((char) b);
            if (head.length() >= 4 && head.lastIndexOf("\r\n\r\n") == head.length() - 4) {
                break;
            }
        }
        String[] request = head.toString().split("\r\n", 2)[0].split(" ");
        return request.length >= 2 && (request[0].equals("GET") || request[0].equals("HEAD"))
                ? new String[] {request[0], request[1]} : null;
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
