package dev.lok8s.lo.cache;

import org.junit.jupiter.api.Test;

import java.time.Instant;

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
}
