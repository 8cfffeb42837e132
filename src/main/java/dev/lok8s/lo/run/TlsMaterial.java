package dev.lok8s.lo.run;

/**
 * The certificate every registry serves in TLS mode, the CA that signed it (copied into
 * certs.d for containerd), and the tls-cert step's result (issued or kept).
 */
public record TlsMaterial(String caPem, String certPem, String keyPem, StepResult result) {
}
