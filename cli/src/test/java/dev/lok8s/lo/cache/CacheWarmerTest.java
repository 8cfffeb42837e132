package dev.lok8s.lo.cache;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * A warm against a real HTTP server on loopback that behaves, or does not: every body is bounded by
 * its declared size and a deadline, a manifest's digest is its bytes', a registry's text is escaped
 * and cut, and blobs are read side by side within their bound. Every test is bounded in time, so a
 * warm that would hang fails instead.
 */
class CacheWarmerTest {

    static final Duration BOUND = Duration.ofSeconds(30);
    /** Short deadlines, so a misbehaving body fails in a second. */
    static final WarmLimits QUICK = new WarmLimits(2, 2, Duration.ofSeconds(5), Duration.ofSeconds(2),
            100L * 1024 * 1024, Duration.ofSeconds(20));
    static final CacheWarmer.Listener QUIET = new CacheWarmer.Listener() {
        @Override
        public void resolved(ImageName image, String digest, int blobs, long bytes) {
        }

        @Override
        public void progress(ImageName image, int doneBlobs, int blobs, long doneBytes, long bytes) {
        }
    };

    TestRegistry registry;

    @BeforeEach
    void start() throws Exception {
        registry = new TestRegistry();
    }

    @AfterEach
    void stop() {
        registry.close();
    }

    CacheWarmer.Warmed warm(String reference, WarmLimits limits) {
        return assertTimeoutPreemptively(BOUND, () -> new CacheWarmer(null, limits).warm(ImageName.parse(reference),
                "mirror", registry.http(), digest -> false, QUIET, limits.overall()));
    }

    static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    @Test
    void aWellFormedImageIsReadWholeAndNamedByTheDigestOfItsManifestsBytes() {
        List<byte[]> blobs = List.of(random(300, 1), random(2_000_000, 2), random(1_500_000, 3));
        byte[] manifest = registry.image("library/demo", "1", blobs, Map.of());

        CacheWarmer.Warmed warmed = warm("demo:1", QUICK);

        assertThat(warmed.digest()).as("no Docker-Content-Digest: the digest of the bytes")
                .isEqualTo(TestRegistry.digest(manifest));
        assertThat(warmed.bytes()).isEqualTo(3_500_300);
        assertThat(warmed.blobs()).isEqualTo(3);
        assertThat(warmed.cached()).isFalse();
    }

    @Test
    void blobsAreReadSideBySideButNoMoreAtOnceThanTheLimit() {
        List<String> descriptors = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            byte[] blob = random(1000, 10 + i);
            String digest = TestRegistry.digest(blob);
            descriptors.add(TestRegistry.descriptor(digest, blob.length));
            registry.on("/v2/library/wide/blobs/" + digest, exchange -> {
                Thread.sleep(300);  // long enough that reads overlap if they may
                registry.send(exchange, 200, "application/octet-stream", blob);
            });
        }
        byte[] manifest = TestRegistry.manifest(descriptors);
        registry.on("/v2/library/wide/manifests/1", e -> registry.send(e, 200, Manifest.OCI_MANIFEST, manifest));

        CacheWarmer.Warmed warmed = warm("wide:1", QUICK);

        assertThat(warmed.blobs()).isEqualTo(6);
        assertThat(registry.mostBlobsAtOnce.get()).as("blob requests in flight at once, limit 2").isEqualTo(2);
    }

    @Test
    void aManifestTricklingOneByteEveryTwoSecondsFailsAtItsDeadline() {
        registry.on("/v2/library/slow/manifests/1", exchange -> registry.trickle(exchange, Manifest.OCI_MANIFEST,
                "{".getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(2)));
        long start = System.nanoTime();

        assertThatThrownBy(() -> warm("slow:1", QUICK))
                .isInstanceOf(RegistryHttp.RegistryException.class)
                .hasMessageContaining("manifest library/slow:1")
                .hasMessageContaining("was not complete within 2 s (lo.warm.body-timeout)");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void aBlobTricklingPastItsDeadlineFails() {
        byte[] declared = random(100, 5);
        String digest = TestRegistry.digest(declared);
        registry.on("/v2/library/trickle/manifests/1", e -> registry.send(e, 200, Manifest.OCI_MANIFEST,
                TestRegistry.manifest(List.of(TestRegistry.descriptor(digest, declared.length)))));
        registry.on("/v2/library/trickle/blobs/" + digest, exchange -> registry.trickle(exchange,
                "application/octet-stream", new byte[1], Duration.ofMillis(500)));

        assertThatThrownBy(() -> warm("trickle:1", QUICK))
                .hasMessageContaining("blob " + digest + " was not complete within 2 s");
    }

    @Test
    void aBlobDeclaredAsTenBytesThatNeverEndsIsCutAtItsDeclaredSize() {
        byte[] declared = random(10, 6);
        String digest = TestRegistry.digest(declared);
        registry.on("/v2/library/endless/manifests/1", e -> registry.send(e, 200, Manifest.OCI_MANIFEST,
                TestRegistry.manifest(List.of(TestRegistry.descriptor(digest, 10)))));
        registry.on("/v2/library/endless/blobs/" + digest, exchange -> registry.trickle(exchange,
                "application/octet-stream", random(64 * 1024, 7), Duration.ZERO));
        long start = System.nanoTime();

        assertThatThrownBy(() -> warm("endless:1", QUICK))
                .hasMessageContaining("blob " + digest + " goes on past the 10 bytes its manifest declares");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("stopped at once, not at a deadline")
                .isLessThan(Duration.ofMillis(QUICK.bodyTimeout().toMillis()));
        assertThat(registry.bytesWritten.get()).as("the server could write no more than the socket buffers held")
                .isLessThan(64L * 1024 * 1024);
    }

    @Test
    void aBlobDeclaredAsTenBytesButServedLargeIsRefusedEvenWhenItsDigestMatches() {
        byte[] large = random(3_000_000, 8);
        String digest = TestRegistry.digest(large);  // the digest is the large body's: only the size is wrong
        registry.on("/v2/library/large/manifests/1", e -> registry.send(e, 200, Manifest.OCI_MANIFEST,
                TestRegistry.manifest(List.of(TestRegistry.descriptor(digest, 10)))));
        registry.on("/v2/library/large/blobs/" + digest, e -> registry.send(e, 200, "application/octet-stream", large));

        assertThatThrownBy(() -> warm("large:1", QUICK))
                .hasMessageContaining("blob " + digest + " declares Content-Length 3000000 where its manifest says 10 bytes");
    }

    @Test
    void aBlobServedLargeWithoutContentLengthIsCutAtItsDeclaredSize() {
        byte[] large = random(3_000_000, 9);
        String digest = TestRegistry.digest(large);
        registry.on("/v2/library/chunked/manifests/1", e -> registry.send(e, 200, Manifest.OCI_MANIFEST,
                TestRegistry.manifest(List.of(TestRegistry.descriptor(digest, 10)))));
        registry.on("/v2/library/chunked/blobs/" + digest, exchange -> {
            exchange.sendResponseHeaders(200, 0);  // chunked: no Content-Length
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(large);
            }
        });

        assertThatThrownBy(() -> warm("chunked:1", QUICK))
                .hasMessageContaining("goes on past the 10 bytes its manifest declares");
    }

    @Test
    void aBlobShorterThanDeclaredFails() {
        byte[] blob = random(1000, 11);
        String digest = TestRegistry.digest(blob);
        registry.on("/v2/library/short/manifests/1", e -> registry.send(e, 200, Manifest.OCI_MANIFEST,
                TestRegistry.manifest(List.of(TestRegistry.descriptor(digest, 2000)))));
        registry.on("/v2/library/short/blobs/" + digest, exchange -> {
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(blob);
            }
        });

        assertThatThrownBy(() -> warm("short:1", QUICK))
                .hasMessageContaining("ended after 1000 of the 2000 bytes its manifest declares");
    }

    @Test
    void aDockerContentDigestThatIsNotTheManifestsIsRefused() {
        String zeros = "sha256:" + "0".repeat(64);
        byte[] manifest = registry.image("library/liar", "1", List.of(random(10, 12)),
                Map.of("Docker-Content-Digest", zeros));

        assertThatThrownBy(() -> warm("liar:1", QUICK))
                .hasMessageContaining("the registry names its digest " + zeros + " but its bytes hash to "
                        + TestRegistry.digest(manifest));
    }

    @Test
    void aDockerContentDigestThatIsTheManifestsIsTaken() {
        byte[] config = random(10, 13);
        String expected = TestRegistry.digest(TestRegistry.manifest(List.of(
                TestRegistry.descriptor(TestRegistry.digest(config), config.length))));
        registry.image("library/honest", "1", List.of(config), Map.of("Docker-Content-Digest", expected));

        assertThat(warm("honest:1", QUICK).digest()).isEqualTo(expected);
    }

    @Test
    void aRegistrysHugeErrorTextIsEscapedAndCutBeforeItIsShown() {
        // raw terminal controls (set the title, clear the screen) in a 300,000-character answer
        String hostile = "\u001b]0;owned\u0007\u001b[2J" + "x".repeat(300_000);
        registry.on("/v2/library/hostile/manifests/1", exchange -> registry.send(exchange, 404, "text/plain", hostile));

        String message = failure("hostile:1");

        assertThat(message).startsWith("manifest library/hostile:1: HTTP 404: ")
                .contains("\\u001b]0;owned\\u0007\\u001b[2J");
        assertThat(message.length()).as("cut: %s", message).isLessThan(1000);
        assertThat(message.chars().noneMatch(c -> c < 0x20 || c == 0x7f)).as("no control characters").isTrue();
    }

    @Test
    void aRegistrysJsonErrorIsQuotedEscaped() {
        registry.on("/v2/library/json/manifests/1", exchange -> registry.send(exchange, 404, "application/json",
                "{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\",\"message\":\"\\u001b[2Jgone\\n\\u009b31m\"}]}"));

        String message = failure("json:1");

        assertThat(message).isEqualTo("manifest library/json:1: HTTP 404: MANIFEST_UNKNOWN \\u001b[2Jgone \\u009b31m");
    }

    String failure(String reference) {
        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> warm(reference, QUICK));
        assertThat(thrown).isInstanceOf(RegistryHttp.RegistryException.class);
        return thrown.getMessage();
    }

    @Test
    void peerTextIsOneEscapedLineOfBoundedLength() {
        assertThat(RegistryHttp.peerText("a\nb\tc  d")).isEqualTo("a b c d");
        assertThat(RegistryHttp.peerText("\u009b2J\u202e")).isEqualTo("\\u009b2J\\u202e");
        String cut = RegistryHttp.peerText("y".repeat(100_000));
        assertThat(cut).startsWith("y".repeat(100)).endsWith("[cut: 100000 characters]");
        assertThat(cut.length()).isLessThan(RegistryHttp.MAX_PEER_TEXT + 40);
        assertThat(RegistryHttp.peerText("\u001b".repeat(1000)).length()).isLessThan(RegistryHttp.MAX_PEER_TEXT + 40);
    }
}
