package dev.lok8s.lo.spec;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SpecParserDefaultsTest {

    @TempDir
    Path dir;
    SpecBuilder.SpecFiles fixture;

    @BeforeEach
    void setUp() {
        fixture = SpecBuilder.in(dir);
    }

    @Test
    void a_spec_without_a_spec_section_gets_every_default() {
        Path file = fixture.withSpec(null);

        ClusterSpec spec = fixture.parse(file);

        assertThat(spec.file()).as("file is absolute").isEqualTo(file.toAbsolutePath().normalize());
        assertThat(spec.name()).as("name").isEqualTo("demo");
        assertThat(spec.domain()).as("domain defaults to lok8s.dev").isEqualTo("lok8s.dev");
        assertThat(spec.slot()).as("slot of lok8s.dev").isEqualTo(125);
        assertThat(spec.network()).as("project network named after metadata.name on slot 125")
                .isEqualTo(new NetworkSpec("demo", Cidr.parse("10.125.125.0/24")));
        RegistriesSpec registries = spec.registries();
        assertThat(registries.shared()).as("shared enabled by default").isTrue();
        assertThat(registries.sharedNetwork()).as("shared network default")
                .isEqualTo(new NetworkSpec("lok8s-registries", Cidr.parse("10.125.200.0/24")));
        assertThat(registries.mirrors()).as("standard mirrors when none are listed").isEqualTo(MirrorSpec.STANDARD);
        assertThat(registries.mirrors()).extracting(MirrorSpec::name).as("standard mirror names")
                .containsExactly("io-docker", "io-quay", "io-k8s", "io-ghcr");
        assertThat(registries.tls()).as("tls off by default").isFalse();
        assertThat(registries.image()).as("registry image default").isEqualTo("registry:2.8.3");
        assertThat(spec.runtime()).as("runtime").isEqualTo("kind");
        assertThat(spec.kubernetesVersion()).as("kubernetes version unset").isNull();
        assertThat(spec.nodes()).as("nodes").isEqualTo(new NodesSpec(1, 0));
    }

    @Test
    void empty_sections_and_nulls_read_as_not_given() {
        ClusterSpec spec = fixture.parse(fixture.withSpec("""
                network:
                registries:
                  shared:
                  tls: ~
                nodes: {}
                """));

        assertThat(spec.network().cidr()).as("cidr from slot").isEqualTo(Cidr.parse("10.125.125.0/24"));
        assertThat(spec.registries().shared()).as("shared").isTrue();
        assertThat(spec.registries().tls()).as("tls").isFalse();
        assertThat(spec.registries().mirrors()).as("mirrors").isEqualTo(MirrorSpec.STANDARD);
        assertThat(spec.nodes()).as("nodes").isEqualTo(NodesSpec.DEFAULT);
    }

    @Test
    void every_field_is_read_when_given() {
        ClusterSpec spec = fixture.parse(fixture.withSpec("""
                runtime: kind
                kubernetes:
                  version: v1.31.0
                nodes:
                  controlPlane: 3
                  workers: 2
                network:
                  name: Demo_net.1
                  cidr: 10.125.7.0/24
                registries:
                  tls: true
                  image: registry:3.0.0
                  shared:
                    enabled: true
                    network:
                      name: my-registries
                      cidr: 10.126.0.0/16
                  mirrors:
                    - name: io-docker
                      url: http://registry-1.docker.io
                """));

        assertThat(spec.kubernetesVersion()).as("kubernetes version").isEqualTo("v1.31.0");
        assertThat(spec.nodes()).as("nodes").isEqualTo(new NodesSpec(3, 2));
        assertThat(spec.network()).as("network").isEqualTo(new NetworkSpec("Demo_net.1", Cidr.parse("10.125.7.0/24")));
        assertThat(spec.slot()).as("slot is the third octet of the given cidr").isEqualTo(7);
        assertThat(spec.registries()).as("registries").isEqualTo(new RegistriesSpec(true,
                new NetworkSpec("my-registries", Cidr.parse("10.126.0.0/16")),
                List.of(new MirrorSpec("io-docker", URI.create("http://registry-1.docker.io"))), true, "registry:3.0.0"));
    }

    @Test
    void an_empty_mirror_list_means_no_mirrors() {
        ClusterSpec spec = fixture.parse(fixture.withSpec("""
                registries:
                  mirrors: []
                """));

        assertThat(spec.registries().mirrors()).as("explicit []").isEmpty();
    }

    @Test
    void a_missing_network_name_defaults_to_the_cluster_name_and_a_missing_cidr_to_the_slot() {
        ClusterSpec onlyCidr = fixture.parse(fixture.withSpec("""
                network:
                  cidr: 10.125.9.0/24
                """));
        ClusterSpec onlyName = fixture.parse(fixture.withSpec("""
                network:
                  name: custom
                """), "42.lok8s.dev");

        assertThat(onlyCidr.network().name()).as("name from metadata.name").isEqualTo("demo");
        assertThat(onlyName.network()).as("cidr from the slot of 42.lok8s.dev")
                .isEqualTo(new NetworkSpec("custom", Cidr.parse("10.125.42.0/24")));
        assertThat(onlyName.slot()).as("slot").isEqualTo(42);
    }

    @Test
    void numbered_domains_name_their_slot_from_2_to_199() {
        assertThat(fixture.parse(fixture.withSpec(null), "2.lok8s.dev").network().cidr()).as("slot 2")
                .isEqualTo(Cidr.parse("10.125.2.0/24"));
        assertThat(fixture.parse(fixture.withSpec(null), "199.lok8s.dev").slot()).as("slot 199").isEqualTo(199);
        assertThat(fixture.parse(fixture.withSpec(null), "lok8s.dev").slot()).as("lok8s.dev").isEqualTo(125);
        assertThat(fixture.parse(fixture.withSpec(null), " ").domain()).as("blank argument").isEqualTo("lok8s.dev");
    }

    @Test
    void spec_cluster_domain_wins_over_the_argument() {
        ClusterSpec spec = fixture.parse(fixture.withSpec("""
                cluster:
                  domain: 60.lok8s.dev
                  ingress: nginx
                """), "lok8s.dev");

        assertThat(spec.domain()).as("domain").isEqualTo("60.lok8s.dev");
        assertThat(spec.slot()).as("slot").isEqualTo(60);
    }

    @Test
    void a_domain_of_neither_form_works_when_the_cidr_is_given() {
        ClusterSpec spec = fixture.parse(fixture.withSpec("""
                network:
                  cidr: 192.168.77.0/24
                """), "dev.example.com");

        assertThat(spec.domain()).as("domain").isEqualTo("dev.example.com");
        assertThat(spec.slot()).as("slot is the third octet").isEqualTo(77);
    }

    @Test
    void shared_disabled_ignores_an_overlapping_shared_network() {
        ClusterSpec spec = fixture.parse(fixture.withSpec("""
                network:
                  cidr: 10.125.200.0/24
                registries:
                  shared:
                    enabled: false
                """));

        assertThat(spec.registries().shared()).as("shared").isFalse();
        assertThat(spec.registries().sharedNetwork().cidr()).as("shared network kept")
                .isEqualTo(Cidr.parse("10.125.200.0/24"));
    }

    @Test
    void unknown_sections_and_keys_are_ignored_anywhere() {
        ClusterSpec spec = fixture.parse(fixture.write(SpecBuilder.HEADER.replace("  name: demo",
                "  name: demo\n  labels: {team: a}") + """
                status: {phase: Ready}
                spec:
                  bootstrap:
                    flux: {path: clusters/x}
                  oidc:
                    issuerUrl: https://dex.example
                    anchors: &base {a: 1}
                    merged: *base
                  cluster:
                    dns: {zone: x}
                  network:
                    cidr: 10.125.125.0/24
                    mtu: 1500
                  registries:
                    proxyCache: true
                    shared:
                      note: yes
                      network: {driver: bridge}
                    mirrors:
                      - name: io-docker
                        url: https://registry-1.docker.io
                        ttl: 168h
                  nodes:
                    memory: 4Gi
                """));

        assertThat(spec.network().cidr()).as("known fields still read").isEqualTo(Cidr.parse("10.125.125.0/24"));
        assertThat(spec.registries().mirrors()).extracting(MirrorSpec::name).as("mirror").containsExactly("io-docker");
    }

    @Test
    void the_shared_sample_project_parses() {
        ClusterSpec spec = new SpecParser().parse(sample("clusters/lok8s.dev/cluster.lok8s.yaml"), "lok8s.dev");

        assertThat(spec.name()).as("name").isEqualTo("lok8s");
        assertThat(spec.slot()).as("slot").isEqualTo(125);
        assertThat(spec.network()).as("network").isEqualTo(new NetworkSpec("lok8s", Cidr.parse("10.125.125.0/24")));
        assertThat(spec.registries().shared()).as("shared").isTrue();
        assertThat(spec.registries().sharedNetwork()).as("shared network")
                .isEqualTo(new NetworkSpec("lok8s-registries", Cidr.parse("10.125.200.0/24")));
        assertThat(spec.registries().mirrors()).as("mirrors").isEqualTo(MirrorSpec.STANDARD);
    }

    @Test
    void the_non_shared_sample_project_parses() {
        ClusterSpec spec = new SpecParser().parse(sample("clusters/50.lok8s.dev/cluster.lok8s.yaml"), "50.lok8s.dev");

        assertThat(spec.name()).as("name").isEqualTo("project-b");
        assertThat(spec.domain()).as("domain").isEqualTo("50.lok8s.dev");
        assertThat(spec.slot()).as("slot").isEqualTo(50);
        assertThat(spec.network()).as("network named after the project")
                .isEqualTo(new NetworkSpec("project-b", Cidr.parse("10.125.50.0/24")));
        assertThat(spec.registries().shared()).as("shared").isFalse();
        assertThat(spec.registries().mirrors()).as("mirrors").isEqualTo(MirrorSpec.STANDARD);
        assertThat(spec.nodes()).as("nodes").isEqualTo(new NodesSpec(1, 1));
    }

    /** A sample project of the repository: tests run in the module's directory, the samples are at the root. */
    static Path sample(String relative) {
        Path here = Path.of(relative);
        return java.nio.file.Files.exists(here) ? here : Path.of("..").resolve(relative);
    }
}
