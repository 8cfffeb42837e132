package dev.lok8s.lo.reconcile;

import dev.lok8s.lo.events.CertIssued;
import dev.lok8s.lo.events.Streams;
import dev.lok8s.lo.observe.StoredCertificate;
import dev.lok8s.lo.plan.RegistryPlan;
import dev.lok8s.lo.registry.RegistryTlsFiles;
import dev.lok8s.lo.tls.CaMaterial;
import dev.lok8s.lo.tls.CertificateStore;
import dev.lok8s.lo.tls.IssuedCert;
import dev.lok8s.lo.tls.RegistryCertificate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

/**
 * The registry certificate of one project in TLS mode: the {@code tls-cert} step keeps the
 * current certificate or issues a new one, and the other steps read the material it left on
 * disk (also when a resumed run skips tls-cert).
 */
public final class RegistryTls {

    private final RegistryPlan plan;
    private final CaMaterial ca;
    private final CertificateStore store;
    private final Clock clock;

    /** @param ca mkcert's CA, checked before the run starts so a missing CA changes nothing */
    public RegistryTls(RegistryPlan plan, CaMaterial ca, Clock clock) {
        this.plan = plan;
        this.ca = ca;
        this.store = RegistryTlsFiles.certificateStore(plan);
        this.clock = clock;
    }

    /** A certificate just issued and stored: the event that records it, and what is now on disk. */
    public record Issued(Effect effect, StoredCertificate stored) {
    }

    /** Issues a new certificate for the plan's SANs and stores it (the decision to do so is ProvisionRules'). */
    public Issued issue() {
        IssuedCert cert = new RegistryCertificate().issue(ca, plan.tlsSans(), clock.instant());
        store.write(cert);
        String pem = read(store.certFile());
        return new Issued(new Effect(Streams.project(plan.project()), new CertIssued(plan.domain(), plan.project(),
                cert.sans(), cert.fingerprintSha256(), cert.notAfter())),
                new StoredCertificate(store.read().orElseThrow(() ->
                        new IllegalStateException("the certificate just written does not read back")), pem));
    }

    public CaMaterial ca() {
        return ca;
    }

    public String caPem() {
        return ca.certificatePem();
    }

    public String certPem() {
        return read(store.certFile());
    }

    public String keyPem() {
        return read(store.keyFile());
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + " (run lo provision again to re-issue it): "
                    + e.getMessage(), e);
        }
    }
}
