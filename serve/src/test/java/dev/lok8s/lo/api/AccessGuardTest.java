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
        assertThat(AccessGuard.strongEnough("0f6c2a9e41d7b3580e9a6c1f2d4b7a83")).as("32 random hex characters").isTrue();
        assertThat(AccessGuard.weakTokenMessage("x")).contains("LO_SERVE_TOKEN").contains("lo.serve.token")
                .contains("1 characters").contains("32").doesNotContain("\n");
    }

    @Test
    void aLongTokenWithLittleEntropyIsRefusedSayingHowToMakeAGoodOne() {
        for (String weak : java.util.List.of("a".repeat(32), "ab".repeat(16), "abcd".repeat(10),
                "0123456789abcdef".repeat(2), "password1234password1234password", "A".repeat(200))) {
            assertThat(AccessGuard.strongEnough(weak)).as("'%s' is too easy to guess", weak).isFalse();
            assertThat(AccessGuard.weakTokenMessage(weak)).as("the message for '%s'", weak)
                    .contains("LO_SERVE_TOKEN (lo.serve.token)").contains("too easy to guess")
                    .contains("openssl rand -hex 32").doesNotContain("\n").doesNotContain(weak);
        }
    }

    @Test
    void randomTokensOfThirtyTwoCharactersOrMoreAreAccepted() {
        java.security.SecureRandom random = new java.security.SecureRandom();
        for (int i = 0; i < 20_000; i++) {
            byte[] bytes = new byte[16];
            random.nextBytes(bytes);
            String hex = java.util.HexFormat.of().formatHex(bytes);
            assertThat(AccessGuard.strongEnough(hex)).as("openssl rand -hex 16: %s", hex).isTrue();
            byte[] longer = new byte[32];
            random.nextBytes(longer);
            String base64 = java.util.Base64.getEncoder().encodeToString(longer);
            assertThat(AccessGuard.strongEnough(base64)).as("openssl rand -base64 32: %s", base64).isTrue();
        }
        assertThat(AccessGuard.strongEnough("s3cret-t0ken-for-the-test-0123456789abcdef")).isTrue();
    }
}
