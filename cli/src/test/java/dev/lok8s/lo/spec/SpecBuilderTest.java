package dev.lok8s.lo.spec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The test fixture's own contract: what it writes is read back by the parser as the fields it was given. */
class SpecBuilderTest {

    @TempDir
    Path dir;

    @Test
    void theDefaultClusterIsTheDocumentsSlot125Project() {
        ClusterSpec spec = SpecBuilder.defaultCluster().spec();
        assertThat(spec.name()).as("name").isEqualTo("lok8s");
        assertThat(spec.domain()).as("domain").isEqualTo("lok8s.dev");
        assertThat(spec.slot()).as("slot").isEqualTo(125);
        assertThat(spec.network()).as("network").isEqualTo(new NetworkSpec("lok8s", Cidr.parse("10.125.125.0/24")));
        assertThat(spec.registries()).as("registries").isEqualTo(new RegistriesSpec(true,
                new NetworkSpec("lok8s-registries", Cidr.parse("10.125.200.0/24")), MirrorSpec.STANDARD, false,
                "registry:2.8.3"));
        assertThat(spec.runtime()).as("runtime").isEqualTo("kind");
        assertThat(spec.kubernetesVersion()).as("kubernetes version").isNull();
        assertThat(spec.nodes()).as("nodes").isEqualTo(NodesSpec.DEFAULT);
    }

    @Test
    void aSlotIsItsDomainAndSubnet() {
        ClusterSpec spec = SpecBuilder.slot(50).spec();
        assertThat(spec.name()).isEqualTo("lok8s-50");
        assertThat(spec.domain()).isEqualTo("50.lok8s.dev");
        assertThat(spec.slot()).isEqualTo(50);
        assertThat(spec.network()).isEqualTo(new NetworkSpec("lok8s-50", Cidr.parse("10.125.50.0/24")));
    }

    @Test
    void everyFieldItSetsIsReadBackByTheParser() {
        ClusterSpec spec = SpecBuilder.named("full").domain("full.example").network("full-net", "10.213.10.0/24")
                .shared(false).sharedNetwork("full-shared", "10.213.11.0/24")
                .mirrors("io-docker", "http://10.213.10.150:5000").mirror("corp", "https://registry.corp.example:8443")
                .tls(true).image("registry:2.8.2").kubernetesVersion("1.31.0").nodes(3, 2).spec();
        assertThat(spec.domain()).isEqualTo("full.example");
        assertThat(spec.slot()).isEqualTo(10);
        assertThat(spec.network()).isEqualTo(new NetworkSpec("full-net", Cidr.parse("10.213.10.0/24")));
        assertThat(spec.registries()).isEqualTo(new RegistriesSpec(false,
                new NetworkSpec("full-shared", Cidr.parse("10.213.11.0/24")),
                List.of(new MirrorSpec("io-docker", URI.create("http://10.213.10.150:5000")),
                        new MirrorSpec("corp", URI.create("https://registry.corp.example:8443"))),
                true, "registry:2.8.2"));
        assertThat(spec.kubernetesVersion()).isEqualTo("1.31.0");
        assertThat(spec.nodes()).isEqualTo(new NodesSpec(3, 2));
        assertThat(SpecBuilder.defaultCluster().mirrors().spec().registries().mirrors()).as("mirrors: []").isEmpty();
    }

    @Test
    void itWritesWhatItIsToldEvenWhenTheParserRefusesIt() {
        Path file = SpecBuilder.named("bad").network("bad", "10.213.300.0/24").writeProject(dir, "bad.test");
        assertThat(file).isEqualTo(dir.resolve("clusters/bad.test/cluster.lok8s.yaml"));
        assertThat(file).content().contains("cidr: \"10.213.300.0/24\"");
        assertThatThrownBy(() -> new SpecParser().parse(file, "bad.test")).isInstanceOf(SpecInvalidException.class)
                .hasMessageContaining("spec.network.cidr");
    }

    @Test
    void aSpecWithNothingSetIsTheHeaderAlone() {
        assertThat(SpecBuilder.named("demo").yaml()).isEqualTo(SpecBuilder.HEADER).doesNotContain("spec:");
        assertThat(SpecBuilder.named("demo").specText("tls: [").yaml()).isEqualTo(SpecBuilder.HEADER + "spec:\n  tls: [\n");
    }
}
