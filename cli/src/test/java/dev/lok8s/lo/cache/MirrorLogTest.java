package dev.lok8s.lo.cache;

import dev.lok8s.lo.events.MirrorLogRead;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Lines as a distribution 2.8.2 mirror writes them (docker logs --timestamps), shortened where long. */
class MirrorLogTest {

    static final String A = "sha256:09d7ef9496cac4f8db33b7f69a0381e415c0dbeeedf30e48fe034a4e4e79267c";
    static final String C = "sha256:e5806d1c4e1ae503a74ef4b1c264253d1c696a7392d7bd25b0fd494ac1c7a7c8";
    static final Instant HOUR = Instant.parse("2026-12-07T14:00:00Z");

    // first pull: the mirror fetches both blobs (a scheduler entry for each, after or before the access line)
    static final String FIRST = """
            2026-12-07T14:19:59.927Z time="2026-12-07T14:19:59.92791495Z" level=info msg="response completed" http.request.method=GET http.request.uri=/v2/
            2026-12-07T14:19:59.928Z 10.213.231.1 - - [07/Dec/2026:14:19:59 +0000] "GET /v2/ HTTP/1.1" 200 2 "" "skopeo/1.9.3"
            2026-12-07T14:20:00.009Z time="2026-12-07T14:20:00.009062849Z" level=info msg="Adding new scheduler entry for library/bb@sha256:a71c731f4ff7cc00811dba1840151bacc7815383612399e65eee18d18b509d91 with ttl=167h59m59.999995554s" go.version=go1.19.8
            2026-12-07T14:20:00.010Z 10.213.231.1 - - [07/Dec/2026:14:19:59 +0000] "GET /v2/library/bb/manifests/1 HTTP/1.1" 200 528 "" "skopeo/1.9.3"
            2026-12-07T14:20:00.044Z 10.213.231.1 - - [07/Dec/2026:14:20:00 +0000] "GET /v2/library/bb/blobs/%s HTTP/1.1" 200 1068399 "" "skopeo/1.9.3"
            2026-12-07T14:20:00.046Z time="2026-12-07T14:20:00.046651758Z" level=info msg="Adding new scheduler entry for library/bb@%s with ttl=167h59m59.999997486s" go.version=go1.19.8
            2026-12-07T14:20:00.081Z time="2026-12-07T14:20:00.08Z" level=info msg="Adding new scheduler entry for library/bb@%s with ttl=167h59m59.999997086s" go.version=go1.19.8
            2026-12-07T14:20:00.082Z 10.213.231.1 - - [07/Dec/2026:14:20:00 +0000] "GET /v2/library/bb/blobs/%s HTTP/1.1" 200 1919 "" "skopeo/1.9.3"
            """.formatted(A, A, C, C);
    // a node pulls again: both blobs from the cache, no scheduler entry
    static final String SECOND = """
            2026-12-07T14:20:06.195Z 10.213.231.7 - - [07/Dec/2026:14:20:06 +0000] "GET /v2/library/bb/manifests/1 HTTP/1.1" 200 528 "" "containerd/1.6.20"
            2026-12-07T14:20:06.213Z 10.213.231.7 - - [07/Dec/2026:14:20:06 +0000] "GET /v2/library/bb/blobs/%s HTTP/1.1" 200 1068399 "" "containerd/1.6.20"
            2026-12-07T14:20:06.226Z 10.213.231.7 - - [07/Dec/2026:14:20:06 +0000] "GET /v2/library/bb/blobs/%s HTTP/1.1" 200 1919 "" "containerd/1.6.20"
            2026-12-07T14:20:07.000Z 10.213.231.7 - - [07/Dec/2026:14:20:07 +0000] "GET /v2/library/gone/manifests/1 HTTP/1.1" 404 90 "" "containerd/1.6.20"
            """.formatted(A, C);

    @Test
    void aBlobWithASchedulerEntryBesideItIsAMissOneWithoutIsAHit() {
        MirrorLog.Summary read = MirrorLog.read(FIRST + SECOND, null, Duration.ofSeconds(5));
        assertThat(read.traffic()).containsExactly(
                new MirrorLogRead.Traffic(HOUR, "10.213.231.1", 0, 2, 0, 1068399 + 1919),
                new MirrorLogRead.Traffic(HOUR, "10.213.231.7", 2, 0, 1068399 + 1919, 0));
        assertThat(read.images()).containsExactly(
                new MirrorLogRead.Pulled("library/bb", "1", Instant.parse("2026-12-07T14:20:06Z"), 2));
        assertThat(read.until()).isEqualTo(Instant.parse("2026-12-07T14:20:07Z"));
        assertThat(read.skipped()).isZero();
        assertThat(read.cut()).isFalse();
    }

    @Test
    void aReadStartsAfterTheLastLineOfThePreviousOne() {
        MirrorLog.Summary first = MirrorLog.read(FIRST, null, Duration.ofSeconds(5));
        MirrorLog.Summary second = MirrorLog.read(FIRST + SECOND, first.until(), Duration.ofSeconds(5));
        assertThat(second.lines()).isEqualTo(4);
        assertThat(second.traffic()).containsExactly(
                new MirrorLogRead.Traffic(HOUR, "10.213.231.7", 2, 0, 1068399 + 1919, 0));
        MirrorLog.Summary none = MirrorLog.read(FIRST + SECOND, second.until(), Duration.ofSeconds(5));
        assertThat(none.empty()).isTrue();
        assertThat(none.until()).isEqualTo(second.until());
    }

    @Test
    void anEntryFarFromTheRequestDoesNotPair() {
        String log = """
                2026-12-07T14:00:00.000Z 10.0.0.5 - - [07/Dec/2026:14:00:00 +0000] "GET /v2/r/blobs/%s HTTP/1.1" 200 10 "" "c"
                2026-12-07T14:30:00.000Z time="x" level=info msg="Adding new scheduler entry for r@%s with ttl=1h" go.version=go1.19.8
                """.formatted(A, A);
        assertThat(MirrorLog.read(log, null, Duration.ofSeconds(5)).traffic())
                .containsExactly(new MirrorLogRead.Traffic(HOUR, "10.0.0.5", 1, 0, 10, 0));
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void hostileLinesAreSkippedQuickly() {
        String hostile = "2026-12-07T14:00:00.000Z 10.0.0.9 - - [07/Dec/2026:14:00:00 +0000] \"GET /v2/"
                + "[".repeat(15_000) + " HTTP/1.1\" 404 19 \"\" \"evil\"\n";
        String entries = ("2026-12-07T14:00:01.000Z msg=\"Adding new scheduler entry for " + "@".repeat(4000)
                + "\n").repeat(500);
        MirrorLog.Summary read = MirrorLog.read(hostile.repeat(100) + entries + SECOND, null, Duration.ofSeconds(5));
        assertThat(read.skipped()).as("the long requests and the entries that do not end").isEqualTo(600);
        assertThat(read.images()).hasSize(1);
    }
}
