package dev.lok8s.lo.cache;

import dev.lok8s.lo.http.Http1Exchange;
import com.fasterxml.jackson.databind.JsonNode;
import dev.lok8s.lo.events.BoundedText;
import dev.lok8s.lo.spec.SafeText;

import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
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
import java.util.function.Supplier;
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
    /** A client built without a connect timeout gets this one for lo's own connections. */
    static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** What is read of an error answer's body: a registry's JSON error is a few hundred bytes. */
    static final int MAX_ERROR_BYTES = 16 * 1024;
    /** What is kept of any text a registry sends (an error message, a header) in lo's own messages. */
    static final int MAX_PEER_TEXT = 300;

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

    private final Supplier<HttpClient> clientSource;
    private volatile HttpClient client;
    private final Duration connectTimeout;
    private final URI base;
    private final Duration requestTimeout;

    /** @param base the registry root, {@code http(s)://<ip>} (no path) */
    public RegistryHttp(HttpClient client, URI base, Duration requestTimeout) {
        this(() -> client, client.connectTimeout().orElse(DEFAULT_CONNECT_TIMEOUT), base, requestTimeout);
    }

    /**
     * @param client         built on first use: a warm through a plain-HTTP mirror never needs it (its
     *                       manifests and blobs are read over {@link Http1Exchange})
     * @param connectTimeout for lo's own connections
     * @param base           the registry root, {@code http(s)://<ip>} (no path)
     */
    public RegistryHttp(Supplier<HttpClient> client, Duration connectTimeout, URI base, Duration requestTimeout) {
        this.clientSource = client;
        this.connectTimeout = connectTimeout;
        this.base = base;
        this.requestTimeout = requestTimeout;
    }

    private HttpClient client() {
        HttpClient c = client;
        if (c == null) {
            synchronized (this) {
                c = client;
                if (c == null) {
                    c = client = clientSource.get();
                }
            }
        }
        return c;
    }

    private boolean plain() {
        return "http".equalsIgnoreCase(base.getScheme());
    }

    /** A GET or HEAD over lo's own connection ({@link Http1Exchange}); failures to get an answer as RegistryExceptions. */
    private Http1Exchange plainRequest(String method, String path, String accept) {
        URI uri = base.resolve(path);
        try {
            return Http1Exchange.open(method, uri, USER_AGENT, accept, connectTimeout, requestTimeout);
        } catch (Http1Exchange.ProtocolException e) {
            throw new RegistryException(0, method + " " + uri + ": the registry " + e.getMessage());
        } catch (SocketTimeoutException e) {
            throw new RegistryException(0, method + " " + uri + ": no answer within "
                    + BoundedBody.seconds(requestTimeout));
        } catch (IOException e) {
            throw new RegistryException(0, method + " " + uri + ": "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : peerText(e.getMessage())));
        }
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
        // HTTP/1.1: blobs read side by side get a connection each rather than sharing one HTTP/2 connection
        return HttpRequest.newBuilder(base.resolve(path)).version(HttpClient.Version.HTTP_1_1).timeout(requestTimeout)
                .header("User-Agent", USER_AGENT);
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

    /**
     * GET of a manifest, its body read within {@code bodyDeadline} (taken when the headers arrive) and at most {@link #MAX_MANIFEST_BYTES} (or
     * {@code declaredSize}, an index's size for the entry, when it is given). Its digest is computed
     * from its bytes; a {@code Docker-Content-Digest} header that says otherwise is refused, as is a
     * manifest asked for by digest that hashes to another.
     *
     * @param declaredSize the size an index declares for it, or -1
     */
    public FetchedManifest getManifest(String repository, String reference, long declaredSize,
                                       Supplier<BoundedBody.Deadline> bodyDeadline) {
        String what = "manifest " + repository + (reference.startsWith("sha256:") ? "@" : ":") + reference;
        String path = "/v2/" + repository + "/manifests/" + reference;
        if (plain()) {
            try (Http1Exchange get = plainRequest("GET", path, Manifest.ACCEPT)) {
                return manifest(what, reference, declaredSize, get.status(), get.contentLength(), get.body(),
                        Optional.ofNullable(get.header("Docker-Content-Digest")),
                        Optional.ofNullable(get.header("Content-Type")), bodyDeadline);
            }
        }
        HttpResponse<InputStream> response = send(request(path).header("Accept", Manifest.ACCEPT).GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        return manifest(what, reference, declaredSize, response.statusCode(),
                response.headers().firstValueAsLong("Content-Length").orElse(-1), response.body(),
                response.headers().firstValue("Docker-Content-Digest"), response.headers().firstValue("Content-Type"),
                bodyDeadline);
    }

    private static FetchedManifest manifest(String what, String reference, long declaredSize, int status,
                                            long contentLength, InputStream bodyStream, Optional<String> header,
                                            Optional<String> contentType,
                                            Supplier<BoundedBody.Deadline> bodyDeadline) {
        BoundedBody.Deadline deadline = bodyDeadline.get();
        if (status < 200 || status >= 300) {
            expectOk(status, what, errorBody(bodyStream, deadline));
        }
        byte[] body;
        int max = declaredSize >= 0 && declaredSize < MAX_MANIFEST_BYTES ? (int) declaredSize : MAX_MANIFEST_BYTES;
        try (InputStream in = bodyStream) {
            body = BoundedBody.read(in, contentLength, max, deadline);
        } catch (BoundedBody.LimitException e) {
            throw new RegistryException(status, what + ": the body " + e.getMessage());
        } catch (Http1Exchange.ProtocolException e) {
            throw new RegistryException(status, what + ": the registry " + e.getMessage());
        } catch (IOException e) {
            throw new RegistryException(0, "reading " + what + ": " + peerText(e.getMessage()));
        }
        if (declaredSize >= 0 && body.length != declaredSize) {
            throw new RegistryException(status, what + " has " + body.length
                    + " bytes where its index declares " + declaredSize);
        }
        String computed = "sha256:" + sha256(body);
        if (reference.startsWith("sha256:") && !reference.equals(computed)) {
            throw new RegistryException(status, what + " arrived with digest " + computed);
        }
        if (header.isPresent() && !header.get().strip().equals(computed)) {
            throw new RegistryException(status, what + ": the registry names its digest "
                    + peerText(header.get()) + " but its bytes hash to " + computed
                    + "; lo warms only what it can verify");
        }
        return new FetchedManifest(computed, contentType.map(RegistryHttp::peerText).orElse(null), body);
    }

    /** Deletes a manifest by digest (with its tags); one already gone (404) is not an error. */
    public void deleteManifest(String repository, String digest) {
        HttpResponse<byte[]> response = send(request("/v2/" + repository + "/manifests/" + digest)
                .DELETE().build(), HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 404) {
            expectOk(response.statusCode(), "DELETE manifest " + repository + "@" + digest, response.body());
        }
    }

    /** True when the registry answers 200 to a HEAD of the blob. */
    public boolean headBlob(String repository, String digest) {
        if (plain()) {
            try (Http1Exchange head = plainRequest("HEAD", "/v2/" + repository + "/blobs/" + digest, "*/*")) {
                if (head.status() == 404) {
                    return false;
                }
                expectOk(head.status(), "HEAD blob " + digest, null);
                return true;
            }
        }
        HttpResponse<Void> response = send(request("/v2/" + repository + "/blobs/" + digest)
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() == 404) {
            return false;
        }
        expectOk(response.statusCode(), "HEAD blob " + digest, null);
        return true;
    }

    /**
     * Reads a blob to the end (which is what makes a pull-through registry keep it) and discards it:
     * exactly the size its manifest declares, within {@code bodyDeadline} (taken when the headers
     * arrive); {@code progress} hears the bytes read so far. Returns the number of bytes.
     * <p>
     * The bytes are not hashed here: the mirror keeps a blob only when what its upstream sent hashes to
     * the digest asked for (a pull-through registry verifies each blob before it commits it), and every
     * node that pulls it checks the digest again; hashing in lo would check the copy lo throws away, at a
     * cost of most of a warm's CPU in a JVM that lives for one warm (docs/benchmarks.md). A mirror over
     * plain HTTP is read over a connection of lo's own ({@link Http1Exchange}), others with the HTTP client.
     */
    public long readBlob(String repository, String digest, long size, Supplier<BoundedBody.Deadline> bodyDeadline,
                         LongConsumer progress) {
        String path = "/v2/" + repository + "/blobs/" + digest;
        if (plain()) {
            return readPlainBlob(path, digest, size, bodyDeadline, progress);
        }
        HttpResponse<InputStream> response = send(request(path).GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        BoundedBody.Deadline deadline = bodyDeadline.get();
        if (response.statusCode() != 200) {
            expectOk(response.statusCode(), "blob " + digest, errorBody(response.body(), deadline));
            throw new RegistryException(response.statusCode(), "blob " + digest + ": HTTP " + response.statusCode()
                    + " where 200 was expected");
        }
        try (InputStream in = response.body()) {
            return BoundedBody.drain(in, response.headers().firstValueAsLong("Content-Length").orElse(-1), size,
                    deadline, progress);
        } catch (BoundedBody.LimitException e) {
            throw new RegistryException(200, "blob " + digest + " " + e.getMessage());
        } catch (IOException e) {
            throw new RegistryException(0, "reading blob " + digest + ": " + peerText(e.getMessage()));
        }
    }

    private long readPlainBlob(String path, String digest, long size, Supplier<BoundedBody.Deadline> bodyDeadline,
                               LongConsumer progress) {
        try (Http1Exchange get = plainRequest("GET", path, "*/*")) {
            BoundedBody.Deadline deadline = bodyDeadline.get();
            if (get.status() != 200) {
                expectOk(get.status(), "blob " + digest, errorBody(get.body(), deadline));
                throw new RegistryException(get.status(), "blob " + digest + ": HTTP " + get.status()
                        + " where 200 was expected");
            }
            try (InputStream in = get.body()) {
                return BoundedBody.drain(in, get.contentLength(), size, deadline, progress);
            } catch (BoundedBody.LimitException e) {
                throw new RegistryException(200, "blob " + digest + " " + e.getMessage());
            } catch (Http1Exchange.ProtocolException e) {
                throw new RegistryException(200, "blob " + digest + ": the registry " + e.getMessage());
            } catch (IOException e) {
                throw new RegistryException(0, "reading blob " + digest + ": " + peerText(e.getMessage()));
            }
        }
    }

    /** The start of an error answer's body (enough for the registry's JSON error), within the deadline. */
    private static byte[] errorBody(InputStream body, BoundedBody.Deadline deadline) {
        try (InputStream in = body) {
            return BoundedBody.head(in, MAX_ERROR_BYTES, deadline);
        } catch (IOException e) {
            return null; // too slow or cut: the status alone says what failed
        }
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
            return BoundedBody.send(client(), request, maxBytes, requestTimeout);
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
            return client().send(request, handler);
        } catch (IOException e) {
            throw new RegistryException(0, request.method() + " " + request.uri() + ": "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryException(0, "interrupted");
        }
    }

    /**
     * Fails with the registry's own error message (its JSON {@code errors[0].message}) unless 2xx; what
     * the registry wrote is escaped and cut ({@link #peerText}) before it becomes part of lo's message.
     */
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
                    detail = ": " + peerText(e.path("code").asText("") + " " + e.path("message").asText("")
                            + (e.path("detail").isMissingNode() || e.path("detail").isNull() ? ""
                            : " (" + e.path("detail") + ")"));
                }
            } catch (IOException ignored) {
                detail = ": " + peerText(new String(body, StandardCharsets.UTF_8));
            }
        }
        throw new RegistryException(status, what + ": HTTP " + status + detail);
    }

    /**
     * Text a registry sent (an error message, a header), made fit for a terminal and the log: one line,
     * control characters escaped ({@link SafeText}), at most {@link #MAX_PEER_TEXT} characters.
     */
    static String peerText(String text) {
        if (text == null) {
            return null;
        }
        String head = text.length() > MAX_PEER_TEXT ? text.substring(0, MAX_PEER_TEXT) : text;
        String shown = BoundedText.cut(SafeText.escape(head.replaceAll("\\s+", " ").strip()), MAX_PEER_TEXT);
        return head.length() < text.length() ? shown + "... [cut: " + text.length() + " characters]" : shown;
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
