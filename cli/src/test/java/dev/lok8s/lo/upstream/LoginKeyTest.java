package dev.lok8s.lo.upstream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;

class LoginKeyTest {

    static final UpstreamLogin LOGIN = new UpstreamLogin("quay.io", "dev", "pass-1");

    @Test
    void theKeyIsMadeOnceOwnerOnlyAndReadEverAfter(@TempDir Path dir) throws Exception {
        Path state = dir.resolve("state");
        LoginKey first = LoginKey.load(state);
        Path file = state.resolve(LoginKey.FILE);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(state))).isEqualTo("rwx------");
        assertThat(Files.readString(file).strip()).hasSize(LoginKey.KEY_BYTES * 2);
        assertThat(LoginKey.load(state).fingerprint(LOGIN)).isEqualTo(first.fingerprint(LOGIN));
        assertThat(Files.list(state).map(p -> p.getFileName().toString())).containsExactly(LoginKey.FILE);
    }

    @Test
    void theFingerprintChangesWithTheSecretTheUserTheServerAndTheMachine(@TempDir Path dir) {
        LoginKey key = LoginKey.load(dir.resolve("a"));
        String fingerprint = key.fingerprint(LOGIN);
        assertThat(fingerprint).hasSize(64).doesNotContain("pass-1");
        assertThat(key.fingerprint(new UpstreamLogin("quay.io", "dev", "pass-2"))).isNotEqualTo(fingerprint);
        assertThat(key.fingerprint(new UpstreamLogin("quay.io", "dev2", "pass-1"))).isNotEqualTo(fingerprint);
        assertThat(key.fingerprint(new UpstreamLogin("ghcr.io", "dev", "pass-1"))).isNotEqualTo(fingerprint);
        assertThat(key.fingerprint(new UpstreamLogin("quay.io", "devp", "ass-1"))).as("parts are delimited")
                .isNotEqualTo(fingerprint);
        assertThat(LoginKey.load(dir.resolve("b")).fingerprint(LOGIN)).as("another machine's key").isNotEqualTo(fingerprint);
        assertThat(fingerprint).as("not a plain hash of the secret")
                .isNotEqualTo(dev.lok8s.lo.plan.Sha256.hex("pass-1"))
                .isNotEqualTo(dev.lok8s.lo.plan.Sha256.hex("dev:pass-1"));
    }

    @Test
    void aKnownKeyGivesAKnownHmac() {
        LoginKey key = new LoginKey(new byte[32]);
        // HMAC-SHA256 under 32 zero bytes of the length-prefixed parts, computed independently with openssl:
        // printf '\0\0\0\7quay.io\0\0\0\3dev\0\0\0\6pass-1' | openssl dgst -sha256 -mac HMAC -macopt hexkey:00..00
        assertThat(key.fingerprint(LOGIN)).isEqualTo(EXPECTED_ZERO_KEY_HMAC);
    }

    static final String EXPECTED_ZERO_KEY_HMAC = "8e4da398bcea2af32c6c96d4fc28c2a3278894cfb931cc41efa1fc754a5a087d";
}
