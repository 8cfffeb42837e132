package dev.lok8s.lo.cache;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class AccessLogTest {

    @Test
    void theNewestManifestGetByAnotherClientIsTheLastPull() {
        String log = """
                time="2026-12-01T12:17:31.785Z" level=info msg="response completed" http.request.method=GET
                10.0.0.5 - - [01/Dec/2026:12:10:00 +0000] "GET /v2/library/demo/manifests/1 HTTP/1.1" 200 527 "" "containerd/1.6.20"
                10.0.0.5 - - [01/Dec/2026:12:11:00 +0000] "GET /v2/library/demo/blobs/sha256:aa HTTP/1.1" 200 527 "" "containerd/1.6.20"
                10.0.0.6 - - [01/Dec/2026:12:12:00 +0000] "GET /v2/org/app/manifests/sha256:bb HTTP/1.1" 200 527 "" "containerd/1.6.20"
                10.0.0.1 - - [01/Dec/2026:12:13:00 +0000] "GET /v2/library/demo/manifests/2 HTTP/1.1" 200 527 "" "lo-registry-warm"
                10.0.0.5 - - [01/Dec/2026:12:14:00 +0000] "HEAD /v2/library/demo/manifests/1 HTTP/1.1" 200 0 "" "containerd/1.6.20"
                10.0.0.5 - - [01/Dec/2026:12:15:00 +0000] "GET /v2/library/gone/manifests/1 HTTP/1.1" 404 91 "" "containerd/1.6.20"
                10.0.0.5 - - [01/Dec/2026:12:16:00 +0000] "GET /v2/_catalog HTTP/1.1" 200 20 "" "curl/7.88.1"
                """;
        assertThat(AccessLog.lastPull(log)).as("lo's own warm, HEADs, 404s, blobs and catalog are not pulls")
                .contains(new AccessLog.Pull(Instant.parse("2026-12-01T12:12:00Z"), "org/app", "sha256:bb"));
    }

    @Test
    void noPullInTheLinesReadIsEmpty() {
        assertThat(AccessLog.lastPull("")).isEmpty();
        assertThat(AccessLog.lastPull("garbage\n[not a time] \"GET /v2/a/manifests/1 HTTP/1.1\" 200 1 \"\" \"x\""))
                .isEmpty();
    }

    @Test
    void requestLinesAreReadFieldByField() {
        AccessLog.Request blob = AccessLog.parseLine("10.0.0.5 - - [01/Dec/2026:12:11:00 +0000] "
                + "\"GET /v2/library/demo/blobs/sha256:aa?ns=docker.io HTTP/1.1\" 200 1048576 \"\" \"containerd/1.6.20\"");
        assertThat(blob).isEqualTo(new AccessLog.Request("10.0.0.5", Instant.parse("2026-12-01T12:11:00Z"), "GET",
                "/v2/library/demo/blobs/sha256:aa", AccessLog.Target.BLOB, "library/demo", "sha256:aa", 200, 1048576,
                "containerd/1.6.20"));
        AccessLog.Request quoted = AccessLog.parseLine("10.0.0.5 - - [01/Dec/2026:12:11:00 +0100] "
                + "\"HEAD /v2/a/b/manifests/1 HTTP/1.1\" 200 - \"x \\\"y\\\"\" \"ua \\\" \\\"z\"");
        assertThat(quoted).as("escaped quotes in referer and agent, '-' as a size, an offset")
                .extracting(AccessLog.Request::at, AccessLog.Request::target, AccessLog.Request::repository,
                        AccessLog.Request::bytes, AccessLog.Request::userAgent)
                .containsExactly(Instant.parse("2026-12-01T11:11:00Z"), AccessLog.Target.MANIFEST, "a/b", 0L,
                        "ua \\\" \\\"z");
        assertThat(AccessLog.parseLine("10.0.0.5 - - [01/Dec/2026:12:11:00 +0000] \"POST /v2/a/blobs/uploads/ "
                + "HTTP/1.1\" 202 0 \"\" \"docker\"").target()).isEqualTo(AccessLog.Target.OTHER);
        assertThat(AccessLog.parseLine("10.0.0.5 - - [01/Dec/2026:12:11:00 +0000] \"GET /v2/ HTTP/1.1\" 200 2 "
                + "\"\" \"x\"").target()).isEqualTo(AccessLog.Target.OTHER);
    }

    @Test
    void aLineLongerThanTheCapIsSkippedUnread() {
        String tooLong = "10.0.0.5 - - [01/Dec/2026:12:10:00 +0000] \"GET /v2/library/demo/manifests/"
                + "a".repeat(AccessLog.MAX_LINE_CHARS) + " HTTP/1.1\" 200 527 \"\" \"containerd/1.6.20\"";
        AccessLog.Read read = AccessLog.read(tooLong + "\n", Duration.ofSeconds(5));
        assertThat(read.requests()).isEmpty();
        assertThat(read.skipped()).isEqualTo(1);
    }

    @Test
    void atMostMaxLinesAreRead() {
        String line = "10.0.0.5 - - [01/Dec/2026:12:10:00 +0000] \"GET /v2/a/manifests/1 HTTP/1.1\" 200 5 \"\" \"c\"\n";
        AccessLog.Read read = AccessLog.read(line.repeat(AccessLog.MAX_LINES + 10), Duration.ofSeconds(30));
        assertThat(read.requests()).hasSize(AccessLog.MAX_LINES);
        assertThat(read.cut()).isTrue();
    }

    @Test
    void aSpentDeadlineStopsTheRead() {
        String line = "10.0.0.5 - - [01/Dec/2026:12:10:00 +0000] \"GET /v2/a/manifests/1 HTTP/1.1\" 200 5 \"\" \"c\"\n";
        AccessLog.Read read = AccessLog.read(line.repeat(10), Duration.ZERO.minusSeconds(1));
        assertThat(read.requests()).isEmpty();
        assertThat(read.cut()).isTrue();
    }

    /**
     * The line any client of a registry can make it write (issue 27): a request path of 15,000 '[' after
     * "GET /v2/", 100 times. The regular expression this parser replaced took seconds per line on it,
     * minutes for the log; the timeout only guards against a hang.
     */
    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void hostileLinesAreReadInLinearTime() {
        String hostile = "10.0.0.9 - - [01/Dec/2026:12:00:00 +0000] \"GET /v2/" + "[".repeat(15_000)
                + " HTTP/1.1\" 404 19 \"\" \"evil\"\n";
        String underTheCap = "10.0.0.9 - - [01/Dec/2026:12:00:00 +0000] \"GET /v2/" + "[".repeat(AccessLog.MAX_LINE_CHARS - 100)
                + " HTTP/1.1\" 404 19 \"\" \"evil\"\n";
        String log = hostile.repeat(100) + underTheCap.repeat(1000) + "10.0.0.5 - - [01/Dec/2026:12:10:00 +0000] "
                + "\"GET /v2/library/demo/manifests/1 HTTP/1.1\" 200 527 \"\" \"containerd/1.6.20\"\n"
                + ("[[ \"GET /v2/" + "[".repeat(1000) + "] \"GET /v2/").repeat(3) + "\n";
        assertThat(AccessLog.lastPull(log)).contains(
                new AccessLog.Pull(Instant.parse("2026-12-01T12:10:00Z"), "library/demo", "1"));
    }
}
