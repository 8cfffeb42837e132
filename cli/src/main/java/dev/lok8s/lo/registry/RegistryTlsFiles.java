package dev.lok8s.lo.registry;

import dev.lok8s.lo.plan.RegistryPlan;
import dev.lok8s.lo.tls.CertificateStore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where a project's registry TLS material lives on disk (TLS mode): the certificate and key lo
 * issued, and the copy of the CA provisioned into certs.d. Read by the provision that writes them and
 * by the read-only commands that verify the registries.
 */
public final class RegistryTlsFiles {

    /** Where the CA copy lives, relative to the certs.d tree. */
    public static final String CA_FILE = ".ca/rootCA.pem";

    private RegistryTlsFiles() {
    }

    /** Where the project's registry certificate and key live. */
    public static CertificateStore certificateStore(RegistryPlan plan) {
        return new CertificateStore(Path.of(plan.certsDir()).getParent().getParent());
    }

    /**
     * The CA the project's nodes trust: the copy provisioned into certs.d, empty when there is none
     * (plain mode, or not provisioned yet). For read-only callers such as {@code lo registry status},
     * which should verify the registries with the CA the cluster uses without needing mkcert's key.
     */
    public static Optional<String> provisionedCaPem(RegistryPlan plan) {
        Path file = Path.of(plan.certsDir()).resolve(CA_FILE);
        try {
            return Files.isRegularFile(file) ? Optional.of(Files.readString(file)) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
