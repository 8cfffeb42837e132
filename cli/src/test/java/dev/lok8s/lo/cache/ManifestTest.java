package dev.lok8s.lo.cache;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ManifestTest {

    static String d(char c) {
        return "sha256:" + String.valueOf(c).repeat(64);
    }

    static Manifest parse(String contentType, String json) {
        return Manifest.parse(contentType, json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void anIndexNamesItsPlatformsAndSelectsOne() {
        Manifest m = parse(null, """
                {"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[
                 {"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"%s","size":500,
                  "platform":{"os":"linux","architecture":"amd64"}},
                 {"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"%s","size":501,
                  "platform":{"os":"linux","architecture":"arm64","variant":"v8"}},
                 {"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"%s","size":400,
                  "platform":{"os":"unknown","architecture":"unknown"}}]}
                """.formatted(d('a'), d('b'), d('c')));
        assertThat(m).isInstanceOf(Manifest.Index.class);
        Manifest.Index index = (Manifest.Index) m;
        assertThat(index.select("linux/amd64")).extracting(Manifest.Descriptor::digest).containsExactly(d('a'));
        assertThat(index.select("linux/arm64")).as("a variant belongs to its arch")
                .extracting(Manifest.Descriptor::digest).containsExactly(d('b'));
        assertThat(index.select("linux/arm64/v8")).extracting(Manifest.Descriptor::digest).containsExactly(d('b'));
        assertThat(index.select("linux/s390x")).isEmpty();
        assertThat(index.select(null)).hasSize(3);
    }

    @Test
    void aDockerManifestListIsAnIndexByItsContentType() {
        Manifest m = parse("application/vnd.docker.distribution.manifest.list.v2+json; charset=utf-8",
                "{\"schemaVersion\":2,\"manifests\":[{\"digest\":\"" + d('a') + "\",\"size\":1,"
                        + "\"platform\":{\"os\":\"linux\",\"architecture\":\"amd64\"}}]}");
        assertThat(m).isInstanceOf(Manifest.Index.class);
    }

    @Test
    void anImageManifestNamesConfigAndLayersButNotForeignLayers() {
        Manifest m = parse(null, """
                {"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json",
                 "config":{"mediaType":"application/vnd.docker.container.image.v1+json","digest":"%s","size":1000},
                 "layers":[{"digest":"%s","size":2000},{"digest":"%s","size":3000},
                           {"digest":"%s","size":9,"urls":["https://example.invalid/layer"]}]}
                """.formatted(d('c'), d('1'), d('2'), d('3')));
        Manifest.Image image = (Manifest.Image) m;
        assertThat(image.blobs()).extracting(Manifest.Descriptor::digest).containsExactly(d('c'), d('1'), d('2'));
        assertThat(image.blobBytes()).isEqualTo(6000);
    }

    @Test
    void anOciManifestWithoutMediaTypeIsRecognisedByItsFields() {
        Manifest m = parse("application/octet-stream",
                "{\"schemaVersion\":2,\"config\":{\"digest\":\"" + d('c') + "\",\"size\":1},\"layers\":[]}");
        assertThat(m).isInstanceOf(Manifest.Image.class);
    }

    @Test
    void whatCannotBeWarmedIsRefusedWithTheReason() {
        assertThatThrownBy(() -> parse("application/vnd.docker.distribution.manifest.v1+prettyjws",
                "{\"schemaVersion\":1,\"fsLayers\":[]}")).hasMessageContaining("not supported");
        assertThatThrownBy(() -> parse(null, "not json")).hasMessageContaining("not JSON");
        assertThatThrownBy(() -> parse(null, "{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"config\":{\"digest\":\"md5:12\"},\"layers\":[]}")).hasMessageContaining("sha256");
    }
}
