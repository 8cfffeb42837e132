package dev.lok8s.lo.tls;

import dev.lok8s.lo.tls.CertificatePolicy.Decision;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class CertificatePolicyTest {

    private static final List<String> SANS = List.of("10.125.125.101", "10.125.125.102", "lok8s.local", "lok8s.cache");
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    @TempDir
    Path tmp;

    private CaMaterial ca;
    private X509Certificate current;

    @BeforeEach
    void issued() throws Exception {
        ca = TestCa.rsa(tmp.resolve("ca"));
        current = Pem.parseCertificate(new RegistryCertificate().issue(ca, SANS, NOW).certPem());
    }

    @Test
    void keepsACurrentCertWithTheSameSansInAnyOrder() {
        Decision decision = CertificatePolicy.decide(Optional.of(current),
                List.of("lok8s.cache", "10.125.125.102", "LOK8S.local", "10.125.125.101"), ca, NOW.plus(Duration.ofDays(10)));

        assertThat(decision).as("same SAN set, same CA, far from expiry").isInstanceOf(Decision.Keep.class);
        assertThat(decision.reason()).contains("expires 2028-04-05");
    }

    @Test
    void issuesWhenThereIsNoCertificate() {
        assertThat(CertificatePolicy.decide(Optional.empty(), SANS, ca, NOW))
                .isEqualTo(new Decision.Issue("no certificate yet"));
    }

    @Test
    void issuesWhenASanIsAddedOrRemoved() {
        var wanted = List.of("10.125.125.101", "10.125.125.105", "10.125.125.106", "lok8s.local", "lok8s.cache");

        assertThat(CertificatePolicy.decide(Optional.of(current), wanted, ca, NOW))
                .isEqualTo(new Decision.Issue("SANs changed: +10.125.125.105 +10.125.125.106 -10.125.125.102"));
    }

    @Test
    void issuesWhenTheCertWasSignedByAnotherCa() throws Exception {
        CaMaterial newCa = TestCa.create(tmp.resolve("other"), "RSA", TestCa.KeyFormat.PKCS8, "CN=test CA");

        assertThat(CertificatePolicy.decide(Optional.of(current), SANS, newCa, NOW))
                .as("same subject DN, different key: mkcert's CA was re-created")
                .isEqualTo(new Decision.Issue("signed by a different CA"));
    }

    @Test
    void issuesWithinThirtyDaysOfExpiry() {
        Instant notAfter = NOW.plus(Duration.ofDays(825));

        assertThat(CertificatePolicy.decide(Optional.of(current), SANS, ca, notAfter.minus(Duration.ofDays(29))))
                .isEqualTo(new Decision.Issue("expires 2028-04-05, within 30 days"));
        assertThat(CertificatePolicy.decide(Optional.of(current), SANS, ca, notAfter.minus(Duration.ofDays(31))))
                .as("31 days left is still fine").isInstanceOf(Decision.Keep.class);
        assertThat(CertificatePolicy.decide(Optional.of(current), SANS, ca, notAfter.plusSeconds(1)))
                .as("already expired").isInstanceOf(Decision.Issue.class);
    }

    @Test
    void issuesWhenTheCertIsNotValidYet() {
        // issued with a clock that ran ahead: the back-dating hour does not cover two hours
        Instant earlier = NOW.minus(Duration.ofHours(2));

        assertThat(CertificatePolicy.decide(Optional.of(current), SANS, ca, earlier))
                .isEqualTo(new Decision.Issue("not valid until 2025-12-31T23:00:00Z"));
    }
}
