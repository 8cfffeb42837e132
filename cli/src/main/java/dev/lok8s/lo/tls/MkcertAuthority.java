package dev.lok8s.lo.tls;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Finds and loads mkcert's local CA, the way mkcert itself finds it: {@code $CAROOT}, else the
 * platform data directory ({@code $XDG_DATA_HOME/mkcert} or {@code ~/.local/share/mkcert} on Linux,
 * {@code ~/Library/Application Support/mkcert} on macOS).
 *
 * <p>lo never runs mkcert: it signs with the CA key itself. It requires mkcert on the PATH anyway
 * because the CA is only useful once {@code mkcert -install} has put it in the trust stores, and
 * that is the user's step.
 */
public final class MkcertAuthority {

    public static final String CA_CERT_FILE = "rootCA.pem";
    public static final String CA_KEY_FILE = "rootCA-key.pem";

    private final Map<String, String> env;
    private final String osName;

    /** @param env the process environment ({@code System.getenv()} in production) */
    public MkcertAuthority(Map<String, String> env) {
        this(env, System.getProperty("os.name", ""));
    }

    MkcertAuthority(Map<String, String> env, String osName) {
        this.env = Map.copyOf(env);
        this.osName = osName.toLowerCase(Locale.ROOT);
    }

    public static MkcertAuthority fromSystem() {
        return new MkcertAuthority(System.getenv());
    }

    /** The directory mkcert keeps its CA in; it need not exist. */
    public Path caRoot() {
        String caroot = env.get("CAROOT");
        if (caroot != null && !caroot.isBlank()) {
            return Path.of(caroot);
        }
        if (osName.contains("mac")) {
            return home().resolve("Library/Application Support/mkcert");
        }
        String xdgData = env.get("XDG_DATA_HOME");
        if (xdgData != null && !xdgData.isBlank()) {
            return Path.of(xdgData, "mkcert");
        }
        return home().resolve(".local/share/mkcert");
    }

    /** mkcert on the PATH, looked up without starting a process. */
    public Optional<Path> mkcertExecutable() {
        String path = env.getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isBlank()) {
                continue;
            }
            try {
                Path candidate = Path.of(dir, "mkcert");
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            } catch (InvalidPathException ignored) {
                // a malformed PATH entry cannot hold mkcert
            }
        }
        return Optional.empty();
    }

    /**
     * Fails fast, with one line naming the fix, unless mkcert is installed and its CA is present and usable.
     *
     * @return the loaded CA
     * @throws TlsPrerequisiteException when mkcert or its CA is missing or unreadable
     */
    public CaMaterial check() {
        if (mkcertExecutable().isEmpty()) {
            throw new TlsPrerequisiteException("spec.registries.tls is true but mkcert was not found on the PATH: "
                    + "install it (e.g. 'b install mkcert' or 'apt-get install mkcert'), then run 'mkcert -install' "
                    + "(or 'lo trust') once on this machine");
        }
        Path dir = caRoot();
        Path certFile = dir.resolve(CA_CERT_FILE);
        Path keyFile = dir.resolve(CA_KEY_FILE);
        if (!Files.isRegularFile(certFile) || !Files.isRegularFile(keyFile)) {
            throw new TlsPrerequisiteException("spec.registries.tls is true but mkcert's CA was not found in " + dir
                    + ": run 'mkcert -install' (or 'lo trust') once on this machine (it adds a local CA to the system trust store, "
                    + "which needs your own consent and privileges, so lo cannot do it for you)");
        }
        X509Certificate certificate;
        PrivateKey key;
        try {
            certificate = Pem.parseCertificate(Files.readString(certFile, StandardCharsets.US_ASCII));
        } catch (IOException | GeneralSecurityException e) {
            throw new TlsPrerequisiteException("cannot read mkcert's CA certificate " + certFile + ": " + e.getMessage(), e);
        }
        try {
            key = Pem.parsePrivateKey(Files.readString(keyFile, StandardCharsets.US_ASCII));
        } catch (IOException | RuntimeException e) {
            throw new TlsPrerequisiteException("cannot read mkcert's CA key " + keyFile + ": " + e.getMessage(), e);
        }
        var ca = new CaMaterial(certificate, key, dir);
        if (!keyMatches(ca)) {
            throw new TlsPrerequisiteException(keyFile + " does not belong to " + certFile
                    + ": restore mkcert's CA or re-create it with 'mkcert -install'");
        }
        return ca;
    }

    private Path home() {
        String home = env.get("HOME");
        return Path.of(home != null && !home.isBlank() ? home : System.getProperty("user.home"));
    }

    /** Signs a nonce with the key and verifies it with the certificate: works for RSA and EC alike. */
    static boolean keyMatches(CaMaterial ca) {
        try {
            byte[] nonce = new byte[32];
            new SecureRandom().nextBytes(nonce);
            String algorithm = ca.signatureAlgorithm();
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(ca.privateKey());
            signer.update(nonce);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(ca.certificate().getPublicKey());
            verifier.update(nonce);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
