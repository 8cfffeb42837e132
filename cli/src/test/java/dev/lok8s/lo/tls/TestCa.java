package dev.lok8s.lo.tls;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.TimeUnit;

/** Test CAs: made with BouncyCastle in any key format, or by the real mkcert in a private CAROOT. */
final class TestCa {

    enum KeyFormat { PKCS8, PKCS1_RSA, SEC1_EC }

    private TestCa() {
    }

    static CaMaterial rsa(Path dir) throws Exception {
        return create(dir, "RSA", KeyFormat.PKCS8, "CN=test CA");
    }

    /** Writes rootCA.pem and rootCA-key.pem into {@code dir} and returns the material. */
    static CaMaterial create(Path dir, String algorithm, KeyFormat format, String subject) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
        if (algorithm.equals("EC")) {
            generator.initialize(new ECGenParameterSpec("secp256r1"));
        } else {
            generator.initialize(2048);
        }
        KeyPair keys = generator.generateKeyPair();
        Instant now = Instant.now();
        var name = new X500Name(subject);
        var builder = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(now.toEpochMilli()),
                Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(3650))), name,
                keys.getPublic());
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        builder.addExtension(Extension.subjectKeyIdentifier, false,
                new JcaX509ExtensionUtils().createSubjectKeyIdentifier(keys.getPublic()));
        var signer = new JcaContentSignerBuilder(algorithm.equals("EC") ? "SHA256withECDSA" : "SHA256withRSA")
                .build(keys.getPrivate());
        X509Certificate cert = new JcaX509CertificateConverter().getCertificate(builder.build(signer));

        Files.createDirectories(dir);
        Files.writeString(dir.resolve(MkcertAuthority.CA_CERT_FILE), Pem.certificate(cert));
        String keyPem = switch (format) {
            case PKCS8 -> Pem.privateKey(keys.getPrivate());
            // JcaPEMWriter writes the "traditional" OpenSSL form: RSA PRIVATE KEY
            case PKCS1_RSA -> {
                var out = new StringWriter();
                try (var writer = new JcaPEMWriter(out)) {
                    writer.writeObject(keys.getPrivate());
                }
                yield out.toString();
            }
            // as `openssl ecparam -genkey` writes it: curve and public key inside the SEC1 structure
            case SEC1_EC -> {
                var info = PrivateKeyInfo.getInstance(keys.getPrivate().getEncoded());
                var inner = ECPrivateKey.getInstance(info.parsePrivateKey());
                var sec1 = new ECPrivateKey(256, inner.getKey(),
                        SubjectPublicKeyInfo.getInstance(keys.getPublic().getEncoded()).getPublicKeyData(),
                        info.getPrivateKeyAlgorithm().getParameters());
                yield Pem.encode("EC PRIVATE KEY", sec1.getEncoded());
            }
        };
        Files.writeString(dir.resolve(MkcertAuthority.CA_KEY_FILE), keyPem);
        return new CaMaterial(cert, keys.getPrivate(), dir);
    }

    static boolean mkcertInstalled() {
        return new MkcertAuthority(System.getenv()).mkcertExecutable().isPresent();
    }

    /**
     * Runs {@code mkcert localhost} with CAROOT and HOME inside {@code scratch}: mkcert creates a new CA
     * there and never touches a trust store (only {@code mkcert -install} does). Returns the CAROOT.
     */
    static Path realMkcert(Path scratch) throws Exception {
        Path caroot = scratch.resolve("caroot");
        Path home = Files.createDirectories(scratch.resolve("home"));
        var process = new ProcessBuilder("mkcert", "localhost")
                .directory(Files.createDirectories(scratch.resolve("work")).toFile())
                .redirectErrorStream(true)
                .redirectOutput(scratch.resolve("mkcert.log").toFile());
        process.environment().put("CAROOT", caroot.toString());
        process.environment().put("HOME", home.toString());
        Process started = process.start();
        if (!started.waitFor(60, TimeUnit.SECONDS)) {
            started.destroyForcibly();
            throw new AssertionError("mkcert did not finish within 60 s");
        }
        if (started.exitValue() != 0) {
            throw new AssertionError("mkcert failed: " + Files.readString(scratch.resolve("mkcert.log")));
        }
        return caroot;
    }
}
