package dev.lok8s.lo.tls;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class MkcertAuthorityTest {

    @TempDir
    Path tmp;

    /** A directory holding an executable named mkcert: enough for the PATH lookup, never run. */
    private String pathWithMkcert() throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path mkcert = bin.resolve("mkcert");
        Files.writeString(mkcert, "#!/bin/sh\nexit 1\n");
        Files.setPosixFilePermissions(mkcert, PosixFilePermissions.fromString("rwxr-xr-x"));
        return "/nonexistent:" + bin;
    }

    @Test
    void findsTheCaThroughCaroot() throws Exception {
        Path caroot = tmp.resolve("caroot");
        CaMaterial made = TestCa.rsa(caroot);

        CaMaterial ca = new MkcertAuthority(Map.of("CAROOT", caroot.toString(), "PATH", pathWithMkcert(),
                "HOME", tmp.resolve("nohome").toString()), "Linux").check();

        assertThat(ca.directory()).as("CAROOT wins over HOME").isEqualTo(caroot);
        assertThat(ca.certificate()).isEqualTo(made.certificate());
        assertThat(ca.certificateFile()).isEqualTo(caroot.resolve("rootCA.pem"));
    }

    @Test
    void defaultsToTheDataDirectoryUnderHome() throws Exception {
        Path home = tmp.resolve("home");
        TestCa.rsa(home.resolve(".local/share/mkcert"));

        CaMaterial ca = new MkcertAuthority(Map.of("HOME", home.toString(), "PATH", pathWithMkcert()), "Linux").check();

        assertThat(ca.directory()).as("mkcert's Linux default").isEqualTo(home.resolve(".local/share/mkcert"));
    }

    @Test
    void followsXdgDataHomeAndMacosLikeMkcertDoes() {
        var env = Map.of("HOME", "/home/u", "XDG_DATA_HOME", "/data");
        assertThat(new MkcertAuthority(env, "Linux").caRoot()).isEqualTo(Path.of("/data/mkcert"));
        assertThat(new MkcertAuthority(Map.of("HOME", "/Users/u"), "Mac OS X").caRoot())
                .isEqualTo(Path.of("/Users/u/Library/Application Support/mkcert"));
    }

    @Test
    void missingMkcertFailsWithOneLineNamingTheFix() {
        var authority = new MkcertAuthority(Map.of("PATH", "/nonexistent:/also-not", "CAROOT", tmp.toString()), "Linux");

        assertThat(authority.mkcertExecutable()).isEmpty();
        assertThatThrownBy(authority::check)
                .isInstanceOf(TlsPrerequisiteException.class)
                .hasMessage("spec.registries.tls is true but mkcert was not found on the PATH: install it "
                        + "(e.g. 'b install mkcert' or 'apt-get install mkcert'), then run 'mkcert -install' "
                        + "(or 'lo trust') once on this machine");
    }

    @Test
    void missingCaFailsAndExplainsWhyLoCannotInstallIt() throws Exception {
        Path home = tmp.resolve("home");
        var authority = new MkcertAuthority(Map.of("HOME", home.toString(), "PATH", pathWithMkcert()), "Linux");

        assertThatThrownBy(authority::check)
                .isInstanceOf(TlsPrerequisiteException.class)
                .hasMessage("spec.registries.tls is true but mkcert's CA was not found in "
                        + home.resolve(".local/share/mkcert")
                        + ": run 'mkcert -install' (or 'lo trust') once on this machine (it adds a local CA to the system trust "
                        + "store, which needs your own consent and privileges, so lo cannot do it for you)");
    }

    @Test
    void aCaWithoutItsKeyCountsAsMissing() throws Exception {
        Path caroot = tmp.resolve("caroot");
        TestCa.rsa(caroot);
        Files.delete(caroot.resolve("rootCA-key.pem"));

        assertThatThrownBy(new MkcertAuthority(Map.of("CAROOT", caroot.toString(), "PATH", pathWithMkcert()))::check)
                .isInstanceOf(TlsPrerequisiteException.class)
                .hasMessageContaining("mkcert's CA was not found in " + caroot);
    }

    @Test
    void loadsPkcs1RsaAndSec1EcKeys() throws Exception {
        Path rsa = tmp.resolve("rsa");
        Path ec = tmp.resolve("ec");
        TestCa.create(rsa, "RSA", TestCa.KeyFormat.PKCS1_RSA, "CN=rsa");
        TestCa.create(ec, "EC", TestCa.KeyFormat.SEC1_EC, "CN=ec");
        assertThat(Files.readString(rsa.resolve("rootCA-key.pem"))).startsWith("-----BEGIN RSA PRIVATE KEY");
        assertThat(Files.readString(ec.resolve("rootCA-key.pem"))).startsWith("-----BEGIN EC PRIVATE KEY");

        String path = pathWithMkcert();
        assertThat(new MkcertAuthority(Map.of("CAROOT", rsa.toString(), "PATH", path)).check().privateKey().getAlgorithm())
                .as("PKCS#1 RSA key").isEqualTo("RSA");
        assertThat(new MkcertAuthority(Map.of("CAROOT", ec.toString(), "PATH", path)).check().privateKey().getAlgorithm())
                .as("SEC1 EC key").isEqualTo("EC");
    }

    @Test
    void aKeyThatDoesNotBelongToTheCertIsRefused() throws Exception {
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        TestCa.rsa(a);
        TestCa.rsa(b);
        Files.copy(b.resolve("rootCA-key.pem"), a.resolve("rootCA-key.pem"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);

        assertThatThrownBy(new MkcertAuthority(Map.of("CAROOT", a.toString(), "PATH", pathWithMkcert()))::check)
                .isInstanceOf(TlsPrerequisiteException.class)
                .hasMessageContaining("does not belong to");
    }

    @Test
    void loadsARealMkcertCa() throws Exception {
        assumeTrue(TestCa.mkcertInstalled(), "mkcert is not installed");
        Path caroot = TestCa.realMkcert(tmp);

        CaMaterial ca = new MkcertAuthority(Map.of("CAROOT", caroot.toString(), "PATH", System.getenv("PATH"))).check();

        assertThat(Files.readString(caroot.resolve("rootCA-key.pem")))
                .as("mkcert writes its CA key as PKCS#8").startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(ca.certificate().getBasicConstraints()).as("a CA certificate").isGreaterThanOrEqualTo(0);
        assertThat(ca.fingerprintSha256()).hasSize(64);
    }
}
