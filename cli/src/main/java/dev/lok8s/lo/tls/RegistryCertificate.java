package dev.lok8s.lo.tls;

import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Mints the one server certificate that every registry of a project serves: a fresh RSA-2048 key
 * and a leaf signed by mkcert's CA, valid for the given IPs and host names.
 */
public final class RegistryCertificate {

    public static final String SUBJECT = "CN=lok8s registries";

    /** Back-dated so that a node whose clock is a little behind the host still accepts the cert. */
    static final Duration BACKDATE = Duration.ofHours(1);

    /**
     * 825 days: the longest validity Apple platforms (and Chrome following them) accept for a TLS
     * server certificate from a private CA; longer ones are rejected outright, whatever the trust store.
     */
    static final Duration VALIDITY = Duration.ofDays(825);

    private final SecureRandom random;

    public RegistryCertificate() {
        this(new SecureRandom());
    }

    public RegistryCertificate(SecureRandom random) {
        this.random = Objects.requireNonNull(random, "random");
    }

    /**
     * @param ca   the signing CA
     * @param sans IPv4/IPv6 literals become iPAddress SANs, everything else dNSName SANs; duplicates are dropped
     * @param now  the issuing time
     * @throws IllegalArgumentException when {@code sans} is empty or holds something that is neither
     */
    public IssuedCert issue(CaMaterial ca, List<String> sans, Instant now) {
        Set<SubjectAltName> names = SubjectAltName.parseAll(sans);
        Instant notBefore = now.minus(BACKDATE);
        Instant notAfter = now.plus(VALIDITY);
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048, random);
            KeyPair leafKey = generator.generateKeyPair();

            var extensions = new JcaX509ExtensionUtils();
            // issuer taken from the CA certificate's encoded subject, so chain building matches byte for byte
            var builder = new JcaX509v3CertificateBuilder(ca.certificate(), serial(), Date.from(notBefore),
                    Date.from(notAfter), new X500Name(SUBJECT), leafKey.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true,
                    new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            builder.addExtension(Extension.subjectKeyIdentifier, false,
                    extensions.createSubjectKeyIdentifier(leafKey.getPublic()));
            builder.addExtension(Extension.authorityKeyIdentifier, false, authorityKeyId(ca, extensions));
            builder.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(names.stream().map(SubjectAltName::toGeneralName).toArray(GeneralName[]::new)));

            var signer = new JcaContentSignerBuilder(ca.signatureAlgorithm()).setSecureRandom(random)
                    .build(ca.privateKey());
            X509Certificate leaf = new JcaX509CertificateConverter().getCertificate(builder.build(signer));
            leaf.verify(ca.certificate().getPublicKey());

            return new IssuedCert(Pem.certificate(leaf), Pem.privateKey(leafKey.getPrivate()),
                    names.stream().map(SubjectAltName::value).toList(), Pem.fingerprintSha256(leaf),
                    leaf.getNotAfter().toInstant(), ca.fingerprintSha256());
        } catch (GeneralSecurityException | OperatorCreationException | CertIOException e) {
            throw new IllegalStateException("cannot issue the registry certificate with the CA in " + ca.directory()
                    + ": " + e.getMessage(), e);
        }
    }

    /** Random, positive, 128 bits: unique without any state to keep. */
    private BigInteger serial() {
        BigInteger serial;
        do {
            serial = new BigInteger(128, random);
        } while (serial.signum() == 0);
        return serial;
    }

    /** The CA's own subject key id when it has one (mkcert's does), so the AKI matches it exactly. */
    private static AuthorityKeyIdentifier authorityKeyId(CaMaterial ca, JcaX509ExtensionUtils extensions)
            throws GeneralSecurityException {
        byte[] ski = ca.certificate().getExtensionValue(Extension.subjectKeyIdentifier.getId());
        if (ski != null) {
            byte[] keyId = SubjectKeyIdentifier.getInstance(ASN1OctetString.getInstance(ski).getOctets())
                    .getKeyIdentifier();
            return new AuthorityKeyIdentifier(keyId);
        }
        return extensions.createAuthorityKeyIdentifier(ca.certificate().getPublicKey());
    }
}
