package dev.lok8s.lo.cache;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.LongConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The few calls of the registry HTTP API (distribution spec v2) that {@code lo} makes against its
 * own registries from the host: manifests, blobs, catalog and tags, every answer bounded.
 */
public final class RegistryHttp {

    /** Manifests are small; anything bigger is not one. */
    static final int MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
    /** Catalog and tag lists are read in pages of this size, at most {@link #MAX_PAGES} pages. */
    static final int PAGE_SIZE = 100;
    static final int MAX_PAGES = 10;
    /** Names kept of one list, whatever page sizes the registry chose; more is reported as truncated. */
    static final int MAX_ENTRIES = PAGE_SIZE * MAX_PAGES;
    /** Bytes read of one page of a list (a page of 100 names of at most 255 characters is ~26 kB). */
    static final int MAX_PAGE_BYTES = 1024 * 1024;
    /** Bytes read of one list over all its pages. */
    static final int MAX_LISTING_BYTES = 4 * 1024 * 1024;
    static final String USER_AGENT = "lo-registry-warm";

    private static final Pattern NEXT = Pattern.compile("<([^>]+)>\\s*;\\s*rel=\"?next\"?");

    /** A failure talking to a registry: the status (0 when it did not answer) and its own error text. */
    public static final class RegistryException extends RuntimeException {
        private final int status;

        RegistryException(int status, String message) {
            super(message);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    /** A manifest as served: its digest (from Docker-Content-Digest, else computed), type and body. */
    public record FetchedManifest(String digest, String contentType, byte[] body) {
    }

    /** A bounded list and whether more was left unread. */
    public record Listing(List<String> names, boolean truncated) {
        public Listing {
            names = List.copyOf(names);
        }
    }

    private final HttpClient client;
    private final URI base;
    private final Duration requestTimeout;

    /** @param base the registry root, {@code http(s)://<ip>} (no path) */
    public RegistryHttp(HttpClient client, URI base, Duration requestTimeout) {
        this.client = client;
        this.base = base;
        this.requestTimeout = requestTimeout;
    }

    /** The registry root from a catalog URL ({@code http://10.0.0.2/v2/_catalog} → {@code http://10.0.0.2}). */
    public static URI root(String catalogUrl) {
        int at = catalogUrl.indexOf("/v2/");
        return URI.create(at >= 0 ? catalogUrl.substring(0, at) : catalogUrl);
    }

    public URI base() {
        return base;
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(base.resolve(path)).timeout(requestTimeout).header("User-Agent", USER_AGENT);
    }

    /** HEAD of a manifest: its digest, or empty when the registry does not have it (404). */
    public Optional<String> headManifest(String repository, String reference) {
        HttpResponse<Void> response = send(request("/v2/" + repository + "/manifests/" + reference)
                .header("Accept", Manifest.ACCEPT).method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() == 404) {
            return Optional.empty();
        }
        expectOk(response.statusCode(), "HEAD manifest " + repository + ":" + reference, null);
        return response.headers().firstValue("Docker-Content-Digest");
    }

    public FetchedManifest getManifest(String repository, String reference) {
        HttpResponse<InputStream> response = send(request("/v2/" + repository + "/manifests/" + reference)
                .header("Accept", Manifest.ACCEPT).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        byte[] body;
        try (InputStream in = response.body()) {
            body = in.readNBytes(MAX_MANIFEST_BYTES + 1);
        } catch (IOException e) {
            throw new RegistryException(0, "reading manifest " + repository + ":" + reference + ": " + e.getMessage());
        }
        expectOk(response.statusCode(), "manifest " + repository + ":" + reference, body);
        if (body.length > MAX_MANIFEST_BYTES) {
            throw new RegistryException(response.statusCode(), "manifest " + repository + ":" + reference
                    + " is larger than " + MAX_MANIFEST_BYTES + " bytes");
        }
        String computed = "sha256:" + sha256(body);
        String digest = response.headers().firstValue("Docker-Content-Digest").orElse(computed);
        if (reference.startsWith("sha256:") && !reference.equals(computed)) {
            throw new RegistryException(response.statusCode(), "manifest " + repository + "@" + reference
                    + " arrived with digest " + computed);
        }
        return new FetchedManifest(digest, response.headers().firstValue("Content-Type").orElse(null), body);
    }

    /** True when the registry answers 200 to a HEAD of the blob. */
    public boolean headBlob(String repository, String digest) {
        HttpResponse<Void> response = send(request("/v2/" + repository + "/blobs/" + digest)
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() == 404) {
            return false;
        }
        expectOk(response.statusCode(), "HEAD blob " + digest, null);
        return true;
    }

    /**
     * Reads a blob to the end (which is what makes a pull-through registry keep it), checking its
     * digest; {@code progress} hears the bytes read so far. Returns the number of bytes.
     */
    public long readBlob(String repository, String digest, LongConsumer progress) {
        HttpResponse<InputStream> response = send(request("/v2/" + repository + "/blobs/" + digest).GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        MessageDigest sha = sha();
        long total = 0;
        try (InputStream in = response.body()) {
            if (response.statusCode() != 200) {
                expectOk(response.statusCode(), "blob " + digest, in.readNBytes(4096));
            }
            byte[] buffer = new byte[256 * 1024];
            long lastReport = 0;
            int n;
            while ((n = in.read(buffer)) > 0) {
                sha.update(buffer, 0, n);
                total += n;
                if (total - lastReport >= 1024 * 1024) {
                    progress.accept(total);
                    lastReport = total;
                }
            }
        } catch (IOException e) {
            throw new RegistryException(0, "reading blob " + digest + " after " + total + " bytes: " + e.getMessage());
        }
        progress.accept(total);
        String actual = "sha256:" + HexFormat.of().formatHex(sha.digest());
        if (!actual.equals(digest)) {
            throw new RegistryException(200, "blob " + digest + " arrived with digest " + actual);
        }
        return total;
    }

    /** Repository names, at most {@link #PAGE_SIZE} × {@link #MAX_PAGES}. */
    public Listing catalog() {
        return paged("/v2/_catalog?n=" + PAGE_SIZE, "repositories");
    }

    /** Tags of a repository, bounded like {@link #catalog()}. */
    public Listing tags(String repository) {
        return paged("/v2/" + repository + "/tags/list?n=" + PAGE_SIZE, "tags");
    }

    /**
     * Follows a list's pages. Every page is bounded by {@link #MAX_PAGE_BYTES} and by the request
     * timeout, which here covers the whole body; the list by {@link #MAX_PAGES}, {@link #MAX_ENTRIES}
     * and {@link #MAX_LISTING_BYTES}. Past a byte or time bound the registry fails with one line naming it
     * and the bound; past the page or entry bound the list is returned {@code truncated}.
     */
    private Listing paged(String first, String field) {
        List<String> names = new ArrayList<>();
        String next = first;
        long listed = 0;
        boolean truncated = false;
        for (int page = 0; page < MAX_PAGES && next != null && !truncated; page++) {
            int budget = (int) Math.min(MAX_PAGE_BYTES, MAX_LISTING_BYTES - listed);
            HttpResponse<byte[]> response = sendBounded(request(next).GET().build(), budget,
                    budget < MAX_PAGE_BYTES ? MAX_LISTING_BYTES + " bytes of one list in all"
                            : MAX_PAGE_BYTES + " bytes of one page of a list");
            listed += response.body().length;
            if (response.statusCode() == 404 && field.equals("tags")) {
                return new Listing(names, false);
            }
            expectOk(response.statusCode(), "GET " + next, response.body());
            try {
                JsonNode list = Manifest.JSON.readTree(response.body()).path(field);
                for (JsonNode n : list) {
                    if (names.size() == MAX_ENTRIES) {
                        truncated = true;
                        break;
                    }
                    names.add(n.asText());
                }
            } catch (IOException e) {
                throw new RegistryException(response.statusCode(), "GET " + next + ": not JSON");
            }
            next = response.headers().firstValue("Link").map(RegistryHttp::nextLink).orElse(null);
        }
        return new Listing(names, truncated || next != null);
    }

    /**
     * A GET read whole within {@link BoundedBody}'s bounds: at most {@code maxBytes}, within the request
     * timeout; {@code cap} names the byte bound for the message.
     */
    private HttpResponse<byte[]> sendBounded(HttpRequest request, int maxBytes, String cap) {
        try {
            return BoundedBody.send(client, request, maxBytes, requestTimeout);
        } catch (BoundedBody.Exceeded e) {
            String target = request.uri().getRawPath()
                    + (request.uri().getRawQuery() == null ? "" : "?" + request.uri().getRawQuery());
            throw new RegistryException(0, "registry " + base + ": GET " + target + ": " + (e.timedOut
                    ? "no complete answer within " + BoundedBody.seconds(requestTimeout) + " (lo's limit for one answer, body included)"
                    : "stopped after " + maxBytes + " bytes (lo reads at most " + cap + ")"));
        } catch (IOException e) {
            throw new RegistryException(0, request.method() + " " + request.uri() + ": "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryException(0, "interrupted");
        }
    }

    /** The path and query of the {@code rel="next"} target of a Link header, or null. */
    static String nextLink(String header) {
        Matcher m = NEXT.matcher(header);
        if (!m.find()) {
            return null;
        }
        URI target = URI.create(m.group(1));
        return target.getRawPath() + (target.getRawQuery() == null ? "" : "?" + target.getRawQuery());
    }

    private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        try {
            return client.send(request, handler);
        } catch (IOException e) {
            throw new RegistryException(0, request.method() + " " + request.uri() + ": "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryException(0, "interrupted");
        }
    }

    /** Fails with the registry's own error message (its JSON {@code errors[0].message}) unless 2xx. */
    private static void expectOk(int status, String what, byte[] body) {
        if (status >= 200 && status < 300) {
            return;
        }
        String detail = "";
        if (body != null && body.length > 0) {
            try {
                JsonNode errors = Manifest.JSON.readTree(body).path("errors");
                if (errors.isArray() && !errors.isEmpty()) {
                    JsonNode e = errors.get(0);
                    detail = ": " + e.path("code").asText("") + " " + e.path("message").asText("")
                            + (e.path("detail").isMissingNode() || e.path("detail").isNull() ? ""
                            : " (" + truncate(e.path("detail").toString()) + ")");
                }
            } catch (IOException ignored) {
                detail = ": " + truncate(new String(body, StandardCharsets.UTF_8));
            }
        }
        throw new RegistryException(status, what + ": HTTP " + status + detail);
    }

    private static String truncate(String s) {
        String oneLine = s.replaceAll("\\s+", " ").strip();
        return oneLine.length() > 200 ? oneLine.substring(0, 200) + "..." : oneLine;
    }

    static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(sha().digest(bytes));
    }

    private static MessageDigest sha() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
