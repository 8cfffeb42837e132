package dev.lok8s.lo.cache;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ImageNameTest {

    static final String DIGEST = "sha256:" + "ab".repeat(32);

    @Test
    void aBareNameIsALibraryImageOnDockerHubAtLatest() {
        ImageName name = ImageName.parse("nginx");
        assertThat(name).isEqualTo(new ImageName("docker.io", "library/nginx", "latest", null));
        assertThat(name.reference()).isEqualTo("latest");
        assertThat(name).hasToString("docker.io/library/nginx:latest");
    }

    @Test
    void docker_hub_aliases_are_docker_io_and_user_repositories_keep_their_path() {
        assertThat(ImageName.parse("index.docker.io/bitnami/redis:7").registry()).isEqualTo("docker.io");
        assertThat(ImageName.parse("registry-1.docker.io/library/busybox:1").repository()).isEqualTo("library/busybox");
        assertThat(ImageName.parse("bitnami/redis:7")).isEqualTo(new ImageName("docker.io", "bitnami/redis", "7", null));
    }

    @Test
    void aHostWithADotOrAPortIsARegistry() {
        assertThat(ImageName.parse("quay.io/prometheus/node-exporter:v1.8.0"))
                .isEqualTo(new ImageName("quay.io", "prometheus/node-exporter", "v1.8.0", null));
        assertThat(ImageName.parse("10.213.1.150:5000/app:1"))
                .isEqualTo(new ImageName("10.213.1.150:5000", "app", "1", null));
        assertThat(ImageName.parse("localhost/app").registry()).isEqualTo("localhost");
        assertThat(ImageName.parse("registry.k8s.io/pause:3.10").repository()).as("no library/ outside Docker Hub")
                .isEqualTo("pause");
    }

    @Test
    void aDigestIsTheReferenceAskedFor() {
        ImageName name = ImageName.parse("ghcr.io/org/app:1@" + DIGEST);
        assertThat(name.tag()).isEqualTo("1");
        assertThat(name.reference()).isEqualTo(DIGEST);
        assertThat(ImageName.parse("ghcr.io/org/app@" + DIGEST).tag()).isNull();
    }

    @Test
    void invalidReferencesAreRefusedWithTheReason() {
        assertThatThrownBy(() -> ImageName.parse("Nginx")).hasMessageContaining("invalid repository");
        assertThatThrownBy(() -> ImageName.parse("nginx:")).hasMessageContaining("invalid tag");
        assertThatThrownBy(() -> ImageName.parse("nginx@sha256:12")).hasMessageContaining("digest");
        assertThatThrownBy(() -> ImageName.parse(" ")).hasMessageContaining("empty");
        assertThatThrownBy(() -> ImageName.parse("a/".repeat(300) + "b")).hasMessageContaining("longer than 512");
        assertThatThrownBy(() -> ImageName.parse("quay.io//x")).hasMessageContaining("invalid repository");
    }
}
