package dev.lok8s.lo.tls;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CertificateStoreTest {

    @TempDir
    Path project;

    private IssuedCert issue() throws Exception {
        CaMaterial ca = TestCa.rsa(Files.createTempDirectory(project, "ca"));
        return new RegistryCertificate().issue(ca, List.of("10.125.125.101", "lok8s.local"), Instant.now());
    }

    @Test
    void writesTheKeyOwnerOnlyAndTheCertReadable() throws Exception {
        var store = new CertificateStore(project);

        store.write(issue());

        assertThat(store.directory()).isEqualTo(project.resolve(".secrets/tls/registries"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(store.keyFile())))
                .as("tls.key is 0600").isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(store.certFile())))
                .as("tls.crt is 0644").isEqualTo("rw-r--r--");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(project.resolve(".secrets"))))
                .as(".secrets is owner-only").isEqualTo("rwx------");
        try (var files = Files.list(store.directory())) {
            assertThat(files).as("no temporary files left behind").hasSize(2);
        }
    }

    @Test
    void readsBackWhatItWrote() throws Exception {
        var store = new CertificateStore(project);
        assertThat(store.read()).as("nothing yet").isEmpty();
        IssuedCert issued = issue();

        store.write(issued);

        assertThat(store.read()).hasValueSatisfying(cert ->
                assertThat(Pem.fingerprintSha256(cert)).isEqualTo(issued.fingerprintSha256()));
        assertThat(Files.readString(store.keyFile())).isEqualTo(issued.keyPem());
    }

    @Test
    void aSecondWriteReplacesBothFilesKeepingPermissions() throws Exception {
        var store = new CertificateStore(project);
        store.write(issue());
        IssuedCert second = issue();

        store.write(second);

        assertThat(Files.readString(store.certFile())).isEqualTo(second.certPem());
        assertThat(Files.readString(store.keyFile())).isEqualTo(second.keyPem());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(store.keyFile()))).isEqualTo("rw-------");
    }

    @Test
    void ignoresSecretsInGitButKeepsTheUsersOwnRules() throws Exception {
        new CertificateStore(project).write(issue());
        assertThat(Files.readString(project.resolve(".secrets/.gitignore"))).isEqualTo("*\n");

        Files.writeString(project.resolve(".secrets/.gitignore"), "*\n!README\n");
        new CertificateStore(project).write(issue());
        assertThat(Files.readString(project.resolve(".secrets/.gitignore"))).as("left alone").isEqualTo("*\n!README\n");
    }

    @Test
    void aCertWithoutItsKeyOrUnreadableCountsAsAbsent() throws Exception {
        var store = new CertificateStore(project);
        store.write(issue());
        Files.delete(store.keyFile());
        assertThat(store.read()).as("key missing").isEmpty();

        store.write(issue());
        Files.writeString(store.certFile(), "garbage");
        assertThat(store.read()).as("cert unreadable").isEmpty();
    }
}
