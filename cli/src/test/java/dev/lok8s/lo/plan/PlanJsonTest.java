package dev.lok8s.lo.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lok8s.lo.spec.SpecBuilder;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The shape of `lo provision --dry-run -o json`, documented in docs/plan-json.md. */
class PlanJsonTest {

    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void planKeysInDeclarationOrder() throws Exception {
        JsonNode json = mapper.valueToTree(SpecBuilder.defaultCluster().plan());
        assertThat(names(json)).as("plan keys").containsExactly("project", "domain", "slot", "clusterName",
                "projectNetwork", "sharedNetwork", "tls", "port", "image", "registries", "tlsSans", "certsDir",
                "certsFiles", "kindConfig", "steps", "hash");
        assertThat(names(json.get("projectNetwork"))).as("network keys")
                .containsExactly("name", "cidr", "gateway", "dynamicRange", "scope", "labels");
        assertThat(names(json.get("registries").get(0))).as("registry keys").containsExactly("name", "role",
                "container", "network", "ip", "hostname", "url", "upstream", "volume", "config", "configHash",
                "labels", "hostPort");
        assertThat(names(json.get("steps").get(0))).as("step keys")
                .containsExactly("id", "kind", "target", "dependsOn");
    }

    @Test
    void enumsAreLowercaseAndValuesReadable() throws Exception {
        RegistryPlan plan = SpecBuilder.defaultCluster().tls(true).plan();
        JsonNode json = mapper.valueToTree(plan);
        assertThat(json.get("projectNetwork").get("scope").asText()).as("project scope").isEqualTo("project");
        assertThat(json.get("sharedNetwork").get("scope").asText()).as("shared scope").isEqualTo("shared");
        assertThat(json.get("registries").findValuesAsText("role")).as("roles")
                .containsExactly("build", "cache", "mirror", "mirror", "mirror", "mirror");
        assertThat(json.get("steps").findValuesAsText("kind")).as("step kinds").containsExactly(
                "check-subnets", "network", "network", "image", "tls-cert", "registry", "registry", "registry",
                "registry", "registry", "registry", "certs-dir", "cluster", "connect", "registry-discovery", "verify");
        assertThat(json.get("registries").get(0).get("upstream").isNull()).as("build upstream is null").isTrue();
        assertThat(json.get("certsFiles").get("lok8s.local/hosts.toml").asText()).as("certs file by path")
                .isEqualTo(plan.certsFiles().get("lok8s.local/hosts.toml"));
        assertThat(json.get("registries").get(0).get("labels").get(Labels.MANAGED_BY).asText()).as("labels map")
                .isEqualTo("lo");
        assertThat(json.get("hash").asText()).as("hash").isEqualTo(plan.hash());
    }

    @Test
    void nonSharedSerialisesANullSharedNetwork() throws Exception {
        JsonNode json = mapper.valueToTree(SpecBuilder.slot(50).shared(false).plan());
        assertThat(json.has("sharedNetwork")).as("key present").isTrue();
        assertThat(json.get("sharedNetwork").isNull()).as("value null").isTrue();
    }

    private static List<String> names(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
