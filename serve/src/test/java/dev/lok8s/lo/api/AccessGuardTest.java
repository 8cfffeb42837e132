package dev.lok8s.lo.api;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import static org.assertj.core.api.Assertions.assertThat;

class AccessGuardTest {

    @Test
    void loopbackNeedsNoTokenAnythingElseDoes() {
        assertThat(AccessGuard.mayServe("127.0.0.1", false)).isTrue();
        assertThat(AccessGuard.mayServe("localhost", false)).isTrue();
        assertThat(AccessGuard.mayServe("::1", false)).isTrue();
        assertThat(AccessGuard.mayServe("127.3.4.5", false)).as("all of 127/8").isTrue();
        assertThat(AccessGuard.mayServe("0.0.0.0", false)).as("every interface").isFalse();
        assertThat(AccessGuard.mayServe("10.213.180.1", false)).isFalse();
        assertThat(AccessGuard.mayServe("no-such-host.invalid", false)).as("unresolvable counts as not loopback").isFalse();
        assertThat(AccessGuard.mayServe("0.0.0.0", true)).isTrue();
    }

    @Test
    void onlyTheExactBearerTokenMatches() throws Exception {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest("abc".getBytes(StandardCharsets.UTF_8));
        assertThat(AccessGuard.matches(digest, "Bearer abc")).isTrue();
        assertThat(AccessGuard.matches(digest, "bearer abc")).isTrue();
        assertThat(AccessGuard.matches(digest, "Bearer abcd")).isFalse();
        assertThat(AccessGuard.matches(digest, "Bearer ab")).isFalse();
        assertThat(AccessGuard.matches(digest, "Basic abc")).isFalse();
        assertThat(AccessGuard.matches(digest, "abc")).isFalse();
        assertThat(AccessGuard.matches(digest, null)).isFalse();
    }

    @Test
    void withoutATokenOnlyLoopbackHostHeadersAreAnswered() {
        for (String ok : new String[] {"127.0.0.1", "127.0.0.1:7411", "localhost", "LOCALHOST:80", "localhost.:7411",
                "[::1]", "[::1]:7411"}) {
            assertThat(AccessGuard.loopbackHost(ok, "127.0.0.1")).as(ok).isTrue();
        }
        assertThat(AccessGuard.loopbackHost("127.0.0.5:7411", "127.0.0.5")).as("the bound address itself").isTrue();
        for (String bad : new String[] {"evil.example", "evil.example:7411", "127.0.0.1.nip.io:7411",
                "localhost.evil.example", "127.0.0.2:7411", "[::1", "localhost:http", "", " "}) {
            assertThat(AccessGuard.loopbackHost(bad, "127.0.0.1")).as(bad).isFalse();
        }
        assertThat(AccessGuard.loopbackHost(null, "127.0.0.1")).as("no Host header").isFalse();
    }

    @Test
    void aTokenNeedsThirtyTwoCharacters() {
        assertThat(AccessGuard.strongEnough("x")).isFalse();
        assertThat(AccessGuard.strongEnough("a".repeat(31))).isFalse();
        assertThat(AccessGuard.strongEnough(" " + "a".repeat(31) + " ")).as("surrounding blanks do not count").isFalse();
        assertThat(AccessGuard.strongEnough("a".repeat(32))).isTrue();
        assertThat(AccessGuard.weakTokenMessage("x")).contains("LO_SERVE_TOKEN").contains("lo.serve.token")
                .contains("1 characters").contains("32").doesNotContain("\n");
    }
}
