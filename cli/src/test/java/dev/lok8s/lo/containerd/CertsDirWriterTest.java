package dev.lok8s.lo.containerd;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CertsDirWriterTest {

    @TempDir
    Path project;

    private final CertsDirWriter writer = new CertsDirWriter();

    private static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private Path certsDir() {
        return project.resolve(".containerd/certs.d");
    }

    @Test
    void writesTheTreeAndAGitignoreBesideIt() throws Exception {
        var result = writer.write(certsDir(), Map.of(
                "docker.io/hosts.toml", text("server = \"http://10.125.200.2\"\n"),
                "lok8s.local/hosts.toml", text("server = \"http://10.125.125.101\"\n")));

        assertThat(result.written()).containsExactly("docker.io/hosts.toml", "lok8s.local/hosts.toml");
        assertThat(Files.readString(certsDir().resolve("docker.io/hosts.toml"))).contains("10.125.200.2");
        assertThat(Files.readString(project.resolve(".containerd/.gitignore")))
                .as("generated files stay out of git, the ignore file itself does not")
                .isEqualTo("*\n!.gitignore\n");
    }

    @Test
    void aSecondIdenticalWriteChangesNothing() {
        Map<String, byte[]> files = Map.of("docker.io/hosts.toml", text("a"));
        writer.write(certsDir(), files);

        var again = writer.write(certsDir(), files);

        assertThat(again.changed()).as("identical content is left alone").isFalse();
        assertThat(again.unchanged()).containsExactly("docker.io/hosts.toml");
    }

    @Test
    void refreshKeepsTheDirectoryInodeAndRemovesStaleEntries() throws Exception {
        writer.write(certsDir(), Map.of("docker.io/hosts.toml", text("a"), "quay.io/hosts.toml", text("b")));
        Object inodeBefore = Files.readAttributes(certsDir(), BasicFileAttributes.class).fileKey();

        var result = writer.write(certsDir(), Map.of("docker.io/hosts.toml", text("a2")));

        Object inodeAfter = Files.readAttributes(certsDir(), BasicFileAttributes.class).fileKey();
        assertThat(inodeAfter).as("bind mounts follow the directory inode").isEqualTo(inodeBefore);
        assertThat(result.written()).containsExactly("docker.io/hosts.toml");
        assertThat(result.removed()).containsExactly("quay.io/hosts.toml");
        assertThat(certsDir().resolve("quay.io")).as("empty stale directory removed").doesNotExist();
        assertThat(Files.readString(certsDir().resolve("docker.io/hosts.toml"))).isEqualTo("a2");
    }

    @Test
    void refusesPathsOutsideTheTree() {
        assertThatThrownBy(() -> writer.write(certsDir(), Map.of("../escape", text("x"))))
                .hasMessageContaining("outside");
    }
}
