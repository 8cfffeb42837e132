package dev.lok8s.lo.tls;

import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Objects;

/**
 * mkcert's root CA, loaded: the certificate, its private key, and the directory they came from.
 *
 * @param certificate the CA certificate ({@code rootCA.pem})
 * @param privateKey  the CA key ({@code rootCA-key.pem}); checked to belong to {@code certificate}
 * @param directory   mkcert's CAROOT
 */
public record CaMaterial(X509Certificate certificate, PrivateKey privateKey, Path directory) {

    public CaMaterial {
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(privateKey, "privateKey");
        Objects.requireNonNull(directory, "directory");
    }

    /** {@code rootCA.pem}: what containerd and the host trust; copy this file, never the key. */
    public Path certificateFile() {
        return directory.resolve(MkcertAuthority.CA_CERT_FILE);
    }

    /** The CA certificate as PEM, e.g. for the copy in the bind-mounted certs.d tree. */
    public String certificatePem() {
        return Pem.certificate(certificate);
    }

    public String fingerprintSha256() {
        return Pem.fingerprintSha256(certificate);
    }

    /** What this CA signs with: SHA-256 with the CA key's own algorithm. */
    String signatureAlgorithm() {
        return switch (privateKey.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> throw new TlsPrerequisiteException("the CA key in " + directory + " is "
                    + privateKey.getAlgorithm() + "; lo signs with RSA or EC CA keys only");
        };
    }
}
