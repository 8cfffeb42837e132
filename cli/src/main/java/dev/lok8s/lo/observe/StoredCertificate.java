package dev.lok8s.lo.observe;

import dev.lok8s.lo.plan.Sha256;

import java.security.cert.X509Certificate;

/**
 * The registry certificate lo keeps on disk (TLS mode): parsed, and as PEM text, whose sha-256
 * labels the registry containers that serve it.
 */
public record StoredCertificate(X509Certificate certificate, String pem) {

    public String fingerprint() {
        return Sha256.hex(pem);
    }
}
