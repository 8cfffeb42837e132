package dev.lok8s.lo.plan;

import dev.lok8s.lo.spec.SpecBuilder;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** The document's default cluster: lok8s.dev, slot 125, shared mirrors, as `lo registry status` shows it. */
class SharedDefaultPlanTest {

    private final RegistryPlan plan = SpecBuilder.defaultCluster().plan();

    @Test
    void identifiesTheProject() {
        assertThat(plan.project()).as("project").isEqualTo("lok8s");
        assertThat(plan.clusterName()).as("kind cluster name is metadata.name").isEqualTo("lok8s");
        assertThat(plan.domain()).as("domain").isEqualTo("lok8s.dev");
        assertThat(plan.slot()).as("slot").isEqualTo(125);
        assertThat(plan.image()).as("registry image").isEqualTo("registry:2.8.3");
        assertThat(plan.tls()).as("tls").isFalse();
        assertThat(plan.port()).as("plain HTTP port").isEqualTo(80);
        assertThat(plan.tlsSans()).as("no certificate in plain mode").isEmpty();
    }

    @Test
    void plansBothNetworks() {
        assertThat(plan.projectNetwork()).as("project network")
                .extracting(PlannedNetwork::name, PlannedNetwork::cidr, PlannedNetwork::gateway, PlannedNetwork::scope)
                .containsExactly("lok8s", "10.125.125.0/24", "10.125.125.1", Scope.PROJECT);
        assertThat(plan.sharedNetwork()).as("shared network")
                .extracting(PlannedNetwork::name, PlannedNetwork::cidr, PlannedNetwork::gateway, PlannedNetwork::scope)
                .containsExactly("lok8s-registries", "10.125.200.0/24", "10.125.200.1", Scope.SHARED);
    }

    @Test
    void placesEveryRegistryAsTheStatusExampleShows() {
        assertThat(plan.registries()).as("registries: build, cache, then mirrors in spec order")
                .extracting(PlannedRegistry::name, PlannedRegistry::role, PlannedRegistry::container,
                        PlannedRegistry::network, PlannedRegistry::ip, PlannedRegistry::hostname)
                .containsExactly(
                        tuple("build", Role.BUILD, "lok8s-registry-build", "lok8s", "10.125.125.101", "lok8s.local"),
                        tuple("cache", Role.CACHE, "lok8s-registry-cache", "lok8s", "10.125.125.102", "lok8s.cache"),
                        tuple("io-docker", Role.MIRROR, "lok8s-registry-io-docker", "lok8s-registries",
                                "10.125.200.2", "docker.io"),
                        tuple("io-quay", Role.MIRROR, "lok8s-registry-io-quay", "lok8s-registries",
                                "10.125.200.3", "quay.io"),
                        tuple("io-k8s", Role.MIRROR, "lok8s-registry-io-k8s", "lok8s-registries",
                                "10.125.200.4", "registry.k8s.io"),
                        tuple("io-ghcr", Role.MIRROR, "lok8s-registry-io-ghcr", "lok8s-registries",
                                "10.125.200.5", "ghcr.io"));
    }

    @Test
    void givesUrlsUpstreamsAndVolumes() {
        assertThat(plan.build().url()).as("build catalog url").isEqualTo("http://10.125.125.101/v2/_catalog");
        assertThat(plan.registry("io-docker").url()).as("mirror catalog url")
                .isEqualTo("http://10.125.200.2/v2/_catalog");
        assertThat(plan.build().upstream()).as("build has no upstream").isNull();
        assertThat(plan.cache().upstream()).as("cache has no upstream").isNull();
        assertThat(plan.mirrors()).as("mirror upstreams")
                .extracting(PlannedRegistry::upstream)
                .containsExactly("https://registry-1.docker.io", "https://quay.io", "https://registry.k8s.io",
                        "https://ghcr.io");
        assertThat(plan.registries()).as("one named volume per registry")
                .extracting(PlannedRegistry::volume)
                .containsExactly("lok8s-registry-build-data", "lok8s-registry-cache-data",
                        "lok8s-registry-io-docker-data", "lok8s-registry-io-quay-data",
                        "lok8s-registry-io-k8s-data", "lok8s-registry-io-ghcr-data");
    }

    @Test
    void rendersRegistryConfigs() {
        assertThat(plan.build().config()).as("build config")
                .startsWith("version: 0.1\n")
                .contains("log:\n  level: info\n")
                .contains("  filesystem:\n    rootdirectory: /var/lib/registry\n")
                .contains("  delete:\n    enabled: true\n")
                .contains("http:\n  addr: :80\n")
                .doesNotContain("tls:")
                .doesNotContain("proxy:");
        assertThat(plan.registry("io-quay").config()).as("mirror config proxies its upstream")
                .endsWith("proxy:\n  remoteurl: https://quay.io\n");
        assertThat(plan.build().configHash()).as("config hash is sha-256 of the config")
                .isEqualTo(Sha256.hex(plan.build().config()))
                .hasSize(64);
        assertThat(plan.build().configHash()).as("build and cache share a config")
                .isEqualTo(plan.cache().configHash());
        assertThat(plan.registry("io-quay").configHash()).as("each mirror's config differs")
                .isNotEqualTo(plan.registry("io-k8s").configHash());
    }

    @Test
    void labelsEverything() {
        assertThat(plan.projectNetwork().labels()).as("project network labels").containsExactly(
                entry(Labels.MANAGED_BY, "lo"), entry(Labels.ROLE, "network"), entry(Labels.SCOPE, "project"),
                entry(Labels.PROJECT, "lok8s"));
        assertThat(plan.sharedNetwork().labels()).as("shared network labels carry no project").containsExactly(
                entry(Labels.MANAGED_BY, "lo"), entry(Labels.ROLE, "network"), entry(Labels.SCOPE, "shared"));
        assertThat(plan.build().labels()).as("build container labels").containsExactly(
                entry(Labels.MANAGED_BY, "lo"), entry(Labels.ROLE, "build"), entry(Labels.SCOPE, "project"),
                entry(Labels.PROJECT, "lok8s"), entry(Labels.CONFIG_HASH, plan.build().configHash()),
                entry(Labels.HOST_PORT, "21251"));
        assertThat(plan.cache().labels()).as("cache role label").containsEntry(Labels.ROLE, "cache");
        PlannedRegistry docker = plan.registry("io-docker");
        assertThat(docker.labels()).as("shared mirror labels carry no project").containsExactly(
                entry(Labels.MANAGED_BY, "lo"), entry(Labels.ROLE, "mirror"), entry(Labels.SCOPE, "shared"),
                entry(Labels.CONFIG_HASH, docker.configHash()));
        assertThat(docker.volumeLabels()).as("volume labels: the container's less the config hash")
                .containsExactly(entry(Labels.MANAGED_BY, "lo"), entry(Labels.ROLE, "mirror"),
                        entry(Labels.SCOPE, "shared"));
    }

    @Test
    void writesHostsTomlUnderEveryHostnameAndIp() {
        assertThat(plan.certsDir()).as("certs.d lives in the project dir")
                .isEqualTo("/home/dev/lok8s/clusters/lok8s.dev/.containerd/certs.d");
        assertThat(plan.certsFiles().keySet()).as("certs.d files").containsExactly(
                "lok8s.local/hosts.toml", "10.125.125.101/hosts.toml",
                "lok8s.cache/hosts.toml", "10.125.125.102/hosts.toml",
                "docker.io/hosts.toml", "10.125.200.2/hosts.toml",
                "quay.io/hosts.toml", "10.125.200.3/hosts.toml",
                "registry.k8s.io/hosts.toml", "10.125.200.4/hosts.toml",
                "ghcr.io/hosts.toml", "10.125.200.5/hosts.toml");
        assertThat(plan.certsFiles().get("lok8s.local/hosts.toml")).as("build hosts.toml, plain").isEqualTo("""
                server = "http://10.125.125.101"

                [host."http://10.125.125.101"]
                  capabilities = ["pull", "resolve", "push"]
                  skip_verify = true
                """);
        assertThat(plan.certsFiles().get("docker.io/hosts.toml")).as("docker.io mirror hosts.toml, plain")
                .isEqualTo("""
                        server = "http://10.125.200.2"

                        [host."http://10.125.200.2"]
                          capabilities = ["pull", "resolve"]
                          skip_verify = true
                        """);
        assertThat(plan.certsFiles().get("10.125.200.2/hosts.toml")).as("IP dir has the same content")
                .isEqualTo(plan.certsFiles().get("docker.io/hosts.toml"));
    }

    @Test
    void queryHelpersFindRegistries() {
        assertThat(plan.mirrors()).as("mirrors()").extracting(PlannedRegistry::name)
                .isEqualTo(List.of("io-docker", "io-quay", "io-k8s", "io-ghcr"));
        assertThat(plan.networks()).as("networks()").extracting(PlannedNetwork::name)
                .containsExactly("lok8s", "lok8s-registries");
        assertThat(plan.shared()).as("shared()").isTrue();
        assertThat(plan.volumes()).as("volumes()").hasSize(6)
                .containsEntry("lok8s-registry-build-data", plan.build().volumeLabels());
    }

    private static java.util.Map.Entry<String, String> entry(String key, String value) {
        return java.util.Map.entry(key, value);
    }
}
