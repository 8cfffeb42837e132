package dev.lok8s.lo.docker;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class ImageReferenceTest {

    @ParameterizedTest
    @CsvSource({
            "registry:2.8.2, registry, 2.8.2",
            "busybox, busybox, latest",
            "127.0.0.1:1/nope:1, 127.0.0.1:1/nope, 1",
            "localhost:5000/team/app, localhost:5000/team/app, latest",
            "lok8s.local/registry@sha256:abcd, lok8s.local/registry, sha256:abcd",
    })
    void splits_repository_and_tag(String image, String repository, String tag) {
        assertThat(ImageReference.parse(image)).isEqualTo(new ImageReference(repository, tag));
    }
}
