package dev.lok8s.lo.docker;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class FileArchiveTest {

    private record Entry(int mode, String content, boolean file) {
    }

    private static Map<String, Entry> read(byte[] tar) throws IOException {
        Map<String, Entry> out = new LinkedHashMap<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar))) {
            TarArchiveEntry e;
            while ((e = in.getNextEntry()) != null) {
                out.put(e.getName(), new Entry(e.getMode() & 07777, new String(in.readAllBytes(), StandardCharsets.UTF_8), e.isFile()));
            }
        }
        return out;
    }

    @Test
    void files_become_relative_entries_with_0644_and_0600_for_keys() throws IOException {
        byte[] tar = FileArchive.tar(Map.of(
                "/etc/docker/registry/config.yml", "version: 0.1".getBytes(StandardCharsets.UTF_8),
                "/certs/registry.key", "KEY".getBytes(StandardCharsets.UTF_8),
                "/certs/registry.crt", "CRT".getBytes(StandardCharsets.UTF_8)));

        assertThat(read(tar)).as("file entries only, sorted; the engine makes the parent directories").containsExactly(
                Map.entry("certs/registry.crt", new Entry(0644, "CRT", true)),
                Map.entry("certs/registry.key", new Entry(0600, "KEY", true)),
                Map.entry("etc/docker/registry/config.yml", new Entry(0644, "version: 0.1", true)));
    }

    @Test
    void long_paths_survive() throws IOException {
        String path = "/etc/containerd/certs.d/" + "a".repeat(120) + "/hosts.toml";
        assertThat(read(FileArchive.tar(Map.of(path, new byte[0])))).containsOnlyKeys(path.substring(1));
    }

    @Test
    void rejects_relative_and_escaping_paths() {
        assertThatIllegalArgumentException().isThrownBy(() -> FileArchive.tar(Map.of("etc/x", new byte[0])));
        assertThatIllegalArgumentException().isThrownBy(() -> FileArchive.tar(Map.of("/etc/../x", new byte[0])));
        assertThatIllegalArgumentException().isThrownBy(() -> FileArchive.tar(Map.of("/etc/", new byte[0])));
    }
}
