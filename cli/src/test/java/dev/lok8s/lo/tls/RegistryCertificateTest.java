package dev.lok8s.lo.tls;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RegistryCertificateTest {

    private static final List<String> SANS = List.of("10.125.125.101", "10.125.125.102", "lok8s.local", "lok8s.cache",
            "10.125.200.2");

    @TempDir
    Path tmp;

    private CaMaterial ca;
    private final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    @BeforeEach
    void ca() throws Exception {
        ca = TestCa.rsa(tmp.resolve("ca"));
    }

    @Test
    void ipsBecomeIpSansAndNamesBecomeDnsSans() throws Exception {
        X509Certificate cert = Pem.parseCertificate(new RegistryCertificate().issue(ca, SANS, now).certPem());

        assertThat(cert.getSubjectAlternativeNames())
                .as("type 7 = iPAddress, type 2 = dNSName")
                .containsExactlyInAnyOrder(List.of(7, "10.125.125.101"), List.of(7, "10.125.125.102"),
                        List.of(2, "lok8s.local"), List.of(2, "lok8s.cache"), List.of(7, "10.125.200.2"));
        assertThat(cert.getSubjectX500Principal().getName()).isEqualTo("CN=lok8s registries");
    }

    @Test
    void isASignedServerLeafValidFor825Days() throws Exception {
        IssuedCert issued = new RegistryCertificate().issue(ca, SANS, now);
        X509Certificate cert = Pem.parseCertificate(issued.certPem());

        assertThatCode(() -> cert.verify(ca.certificate().getPublicKey())).as("signed by the CA").doesNotThrowAnyException();
        assertThat(cert.getIssuerX500Principal()).isEqualTo(ca.certificate().getSubjectX500Principal());
        assertThat(cert.getExtendedKeyUsage()).as("serverAuth").containsExactly("1.3.6.1.5.5.7.3.1");
        assertThat(cert.getKeyUsage()[0]).as("digitalSignature").isTrue();
        assertThat(cert.getKeyUsage()[2]).as("keyEncipherment").isTrue();
        assertThat(cert.getBasicConstraints()).as("not a CA").isEqualTo(-1);
        assertThat(cert.getVersion()).isEqualTo(3);
        assertThat(cert.getSerialNumber().bitLength()).as("random 128-bit serial").isBetween(100, 128);
        assertThat(cert.getNotBefore().toInstant()).isEqualTo(now.minus(Duration.ofHours(1)));
        assertThat(cert.getNotAfter().toInstant()).isEqualTo(now.plus(Duration.ofDays(825)));
        assertThat(issued.notAfter()).isEqualTo(now.plus(Duration.ofDays(825)));
        assertThat(cert.getExtensionValue("2.5.29.35")).as("authority key id").isNotNull();
        assertThat(cert.getExtensionValue("2.5.29.14")).as("subject key id").isNotNull();
        assertThat(issued.sans()).containsExactlyElementsOf(SANS);
        assertThat(issued.fingerprintSha256()).isEqualTo(Pem.fingerprintSha256(cert)).hasSize(64);
        assertThat(issued.caFingerprintSha256()).isEqualTo(ca.fingerprintSha256());
    }

    @Test
    void theKeyIsPkcs8AndMatchesTheCertificate() throws Exception {
        IssuedCert issued = new RegistryCertificate().issue(ca, SANS, now);
        X509Certificate cert = Pem.parseCertificate(issued.certPem());

        assertThat(issued.keyPem()).startsWith("-----BEGIN PRIVATE KEY-----");
        var key = (RSAPrivateCrtKey) Pem.parsePrivateKey(issued.keyPem());
        assertThat(key.getModulus()).as("key pairs with the cert")
                .isEqualTo(((RSAPublicKey) cert.getPublicKey()).getModulus());
        assertThat(key.getModulus().bitLength()).isEqualTo(2048);
        assertThat(issued.toString()).as("toString never prints the key").doesNotContain("PRIVATE");
    }

    @Test
    void anEcCaSignsWithEcdsa() throws Exception {
        CaMaterial ecCa = TestCa.create(tmp.resolve("ec"), "EC", TestCa.KeyFormat.SEC1_EC, "CN=ec CA");

        X509Certificate cert = Pem.parseCertificate(new RegistryCertificate().issue(ecCa, SANS, now).certPem());

        assertThat(cert.getSigAlgName()).isEqualTo("SHA256withECDSA");
        assertThatCode(() -> cert.verify(ecCa.certificate().getPublicKey())).doesNotThrowAnyException();
    }

    @Test
    void duplicatesAreDroppedAndNonsenseRefused() {
        var issuer = new RegistryCertificate();
        assertThat(issuer.issue(ca, List.of("lok8s.local", "LOK8S.local", "10.0.0.1", "10.0.0.1"), now).sans())
                .containsExactly("lok8s.local", "10.0.0.1");
        assertThatThrownBy(() -> issuer.issue(ca, List.of(), now)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> issuer.issue(ca, List.of("not a name"), now))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'not a name'");
        assertThat(SubjectAltName.parse("10.0.0.256").kind()).as("not an IPv4 literal").isEqualTo(SubjectAltName.Kind.DNS);
    }
}
