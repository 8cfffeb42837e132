package dev.lok8s.lo.tls;

import java.time.Instant;
import java.util.List;

/**
 * A freshly minted registry certificate, ready to be written by {@link CertificateStore}.
 *
 * @param certPem              the leaf certificate as PEM (mkcert CAs have no intermediate, so the chain is the leaf)
 * @param keyPem               the leaf's private key, PKCS#8 PEM
 * @param sans                 the SANs it was issued for, normalised and de-duplicated, in the order asked
 * @param fingerprintSha256    lower-case hex SHA-256 of the certificate's DER
 * @param notAfter             when it expires
 * @param caFingerprintSha256  lower-case hex SHA-256 of the signing CA certificate's DER
 */
public record IssuedCert(String certPem, String keyPem, List<String> sans, String fingerprintSha256,
                         Instant notAfter, String caFingerprintSha256) {

    public IssuedCert {
        sans = List.copyOf(sans);
    }

    /** Never print the key. */
    @Override
    public String toString() {
        return "IssuedCert[sans=" + sans + ", fingerprintSha256=" + fingerprintSha256 + ", notAfter=" + notAfter
                + ", caFingerprintSha256=" + caFingerprintSha256 + "]";
    }
}
