package dev.lok8s.lo.tls;

import dev.lok8s.lo.files.AtomicFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Optional;
import java.util.Set;

/**
 * The registry certificate on disk: {@code <project>/.secrets/tls/registries/tls.crt} and {@code tls.key}.
 * Needs a POSIX file system: the key's permissions are the point.
 */
public final class CertificateStore {

    public static final String CERT_FILE = "tls.crt";
    public static final String KEY_FILE = "tls.key";

    private static final Set<PosixFilePermission> DIR = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> KEY = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> CERT = PosixFilePermissions.fromString("rw-r--r--");

    private final Path secrets;
    private final Path directory;

    /** @param projectDir the directory holding the project's {@code cluster.lok8s.yaml} tree */
    public CertificateStore(Path projectDir) {
        this.secrets = projectDir.resolve(".secrets");
        this.directory = secrets.resolve("tls/registries");
    }

    public Path directory() {
        return directory;
    }

    public Path certFile() {
        return directory.resolve(CERT_FILE);
    }

    public Path keyFile() {
        return directory.resolve(KEY_FILE);
    }

    /**
     * The stored certificate. Empty when there is none, when its key is missing, or when the
     * certificate does not parse: all three mean "issue a new one", and the files are lo's own.
     */
    public Optional<X509Certificate> read() {
        if (!Files.isRegularFile(certFile()) || !Files.isRegularFile(keyFile())) {
            return Optional.empty();
        }
        try {
            return Optional.of(Pem.parseCertificate(Files.readString(certFile(), StandardCharsets.US_ASCII)));
        } catch (CertificateException | IOException e) {
            return Optional.empty();
        }
    }

    /**
     * Replaces both files. Each is written to a temporary file created with its final permissions and
     * renamed into place, so the key is never readable by others, not even for a moment, and a reader
     * never sees a half-written file. The key goes first: a new cert never pairs with an old key on disk
     * for longer than one rename.
     */
    public void write(IssuedCert cert) {
        try {
            Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(DIR));
            writeGitignore();
            replace(keyFile(), cert.keyPem(), KEY);
            replace(certFile(), cert.certPem(), CERT);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the registry certificate into " + directory, e);
        }
    }

    /** Keeps every secret out of git, unless the user has written their own rules. */
    private void writeGitignore() throws IOException {
        try {
            Files.writeString(secrets.resolve(".gitignore"), "*\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        } catch (FileAlreadyExistsException ignored) {
            // present: left as the user has it
        }
    }

    private void replace(Path target, String content, Set<PosixFilePermission> permissions) throws IOException {
        AtomicFiles.replace(target, content.getBytes(StandardCharsets.US_ASCII), permissions);
    }
}
