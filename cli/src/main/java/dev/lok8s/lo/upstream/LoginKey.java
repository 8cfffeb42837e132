package dev.lok8s.lo.upstream;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * This machine's key for fingerprinting upstream logins: 32 random bytes, hex, in
 * {@code <state dir>/upstream-login.key} (0600), made on first use. A fingerprint is
 * HMAC-SHA256 under this key, so what lo records (a container label, an event) tells a changed login
 * from an unchanged one but, unlike a plain hash, cannot be tested against guessed passwords by
 * anyone who reads the log without the key.
 */
public final class LoginKey {

    public static final String FILE = "upstream-login.key";
    static final int KEY_BYTES = 32;

    private final byte[] key;

    LoginKey(byte[] key) {
        if (key.length < 16) {
            throw new IllegalArgumentException("a login key needs at least 16 bytes");
        }
        this.key = key.clone();
    }

    /** The key in {@code stateDir}, created (0600) when missing; of two processes creating it, the first wins. */
    public static LoginKey load(Path stateDir) {
        Path file = stateDir.resolve(FILE);
        try {
            if (!Files.exists(file)) {
                create(stateDir, file);
            }
            String text = Files.readString(file, StandardCharsets.US_ASCII).strip();
            byte[] key;
            try {
                key = HexFormat.of().parseHex(text);
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("the login key " + file + " is not hex: delete it (lo makes a new one,"
                        + " and mirrors with a login are recreated once)");
            }
            return new LoginKey(key);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read or create the login key " + file + ": " + e.getMessage(), e);
        }
    }

    private static void create(Path stateDir, Path file) throws IOException {
        if (!Files.isDirectory(stateDir)) {
            Files.createDirectories(stateDir, PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------")));
        }
        byte[] key = new byte[KEY_BYTES];
        new SecureRandom().nextBytes(key);
        Path tmp = Files.createTempFile(stateDir, ".upstream-login", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.writeString(tmp, HexFormat.of().formatHex(key) + "\n", StandardCharsets.US_ASCII);
            try {
                Files.createLink(file, tmp);
            } catch (FileAlreadyExistsException raced) {
                // another process made it first: use theirs
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** The login's fingerprint: hex HMAC-SHA256 of server, user and secret under this key. */
    public String fingerprint(UpstreamLogin login) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            for (String part : new String[]{login.server(), login.username(), login.secret()}) {
                byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
                // length-prefixed, so ("ab","c") and ("a","bc") differ
                mac.update(ByteBuffer.allocate(4).putInt(bytes.length).array());
                mac.update(bytes);
            }
            return HexFormat.of().formatHex(mac.doFinal());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available: " + e.getMessage(), e);
        }
    }
}
