package dev.lok8s.lo.plan;

import dev.lok8s.lo.spec.SpecBuilder;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TlsPlanTest {

    private final RegistryPlan plain = SpecBuilder.defaultCluster().plan();
    private final RegistryPlan tls = SpecBuilder.defaultCluster().tls(true).plan();

    @Test
    void servesHttpsOn443() {
        assertThat(tls.tls()).as("tls").isTrue();
        assertThat(tls.port()).as("port").isEqualTo(443);
        assertThat(tls.registries()).as("catalog urls").extracting(PlannedRegistry::url)
                .containsExactly("https://10.125.125.101/v2/_catalog", "https://10.125.125.102/v2/_catalog",
                        "https://10.125.200.2/v2/_catalog", "https://10.125.200.3/v2/_catalog",
                        "https://10.125.200.4/v2/_catalog", "https://10.125.200.5/v2/_catalog");
    }

    @Test
    void coversEveryRegistryInTheCertificate() {
        assertThat(tls.tlsSans()).as("SANs: registry IPs, framework hostnames, then where the host pushes")
                .containsExactly("10.125.125.101", "10.125.125.102", "10.125.200.2", "10.125.200.3", "10.125.200.4",
                        "10.125.200.5", "lok8s.local", "lok8s.cache", "localhost", "127.0.0.1");
    }

    @Test
    void configuresTheRegistryForTls() {
        assertThat(tls.build().config()).as("TLS config").contains("""
                http:
                  addr: :443
                  tls:
                    certificate: /etc/docker/registry/tls/tls.crt
                    key: /etc/docker/registry/tls/tls.key
                """);
        assertThat(tls.build().configHash()).as("config hash changes with TLS")
                .isNotEqualTo(plain.build().configHash());
        assertThat(tls.build().labels()).as("config-hash label follows")
                .containsEntry(Labels.CONFIG_HASH, tls.build().configHash());
    }

    @Test
    void trustsTheCaInHostsTomlWithoutSkipVerify() {
        assertThat(tls.certsFiles().get("lok8s.local/hosts.toml")).as("build hosts.toml, TLS").isEqualTo("""
                server = "https://10.125.125.101"
                ca = "/etc/containerd/certs.d/.ca/rootCA.pem"

                [host."https://10.125.125.101"]
                  capabilities = ["pull", "resolve", "push"]
                  ca = "/etc/containerd/certs.d/.ca/rootCA.pem"
                """);
        assertThat(tls.certsFiles().get("docker.io/hosts.toml")).as("mirror hosts.toml, TLS").isEqualTo("""
                server = "https://10.125.200.2"
                ca = "/etc/containerd/certs.d/.ca/rootCA.pem"

                [host."https://10.125.200.2"]
                  capabilities = ["pull", "resolve"]
                  ca = "/etc/containerd/certs.d/.ca/rootCA.pem"
                """);
        assertThat(tls.certsFiles().values()).as("no skip_verify anywhere in TLS")
                .noneMatch(content -> content.contains("skip_verify"));
    }

    @Test
    void nonSharedTlsAlsoWorks() {
        RegistryPlan plan = SpecBuilder.slot(50).shared(false).tls(true).plan();
        assertThat(plan.tlsSans()).as("SANs, non-shared").containsExactly("10.125.50.101", "10.125.50.102",
                "10.125.50.103", "10.125.50.104", "10.125.50.105", "10.125.50.106", "lok8s.local", "lok8s.cache",
                "localhost", "127.0.0.1");
        assertThat(plan.certsFiles().get("docker.io/hosts.toml")).as("mirror hosts.toml, TLS non-shared")
                .startsWith("server = \"https://10.125.50.103\"\n");
    }
}
