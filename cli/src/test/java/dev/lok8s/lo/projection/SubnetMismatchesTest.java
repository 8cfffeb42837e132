package dev.lok8s.lo.projection;

import dev.lok8s.lo.plan.SubnetMismatch;
import dev.lok8s.lo.spec.Cidr;
import dev.lok8s.lo.spec.ClusterSpec;
import dev.lok8s.lo.spec.MirrorSpec;
import dev.lok8s.lo.spec.NetworkSpec;
import dev.lok8s.lo.spec.NodesSpec;
import dev.lok8s.lo.spec.RegistriesSpec;
import dev.lok8s.lo.store.StoreEngine;
import dev.lok8s.lo.store.TestStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

@ParameterizedClass
@EnumSource(StoreEngine.class)
class SubnetMismatchesTest {

    @Parameter
    StoreEngine engine;

    static TestStore temp;
    static SubnetMismatches mismatches;

    @BeforeParameterizedClassInvocation
    static void open(StoreEngine engine) {
        temp = engine.open();
        new ProjectionScenario().play(temp.eventStore());
        mismatches = new SubnetMismatches(temp.dataSource());
    }

    @AfterParameterizedClassInvocation
    static void close() throws Exception {
        temp.close();
    }

    static ClusterSpec spec(String name, String domain, String subnet, boolean shared, String sharedCidr) {
        return new ClusterSpec(Path.of("/tmp/cluster.lok8s.yaml"), name, domain, Cidr.parse(subnet).thirdOctet(),
                new NetworkSpec("lok8s-x", Cidr.parse(subnet)),
                new RegistriesSpec(shared, new NetworkSpec("lok8s-registries", Cidr.parse(sharedCidr)),
                        MirrorSpec.STANDARD, false, RegistriesSpec.DEFAULT_IMAGE),
                "kind", null, NodesSpec.DEFAULT);
    }

    @Test
    void aSpecThatFitsHasNoFindings() {
        assertThat(mismatches.check(spec("c", "7.lok8s.dev", "10.125.7.0/24", true, "10.125.200.0/24"))).isEmpty();
        assertThat(mismatches.check(spec("b", "50.lok8s.dev", "10.125.50.0/24", true, "10.125.200.0/24")))
                .as("a project's own subnet is no conflict").isEmpty();
    }

    @Test
    void theSharedNetworkRecordedWithAnotherSubnetIsReportedWithTheDocumentedText() {
        var findings = mismatches.check(spec("c", "7.lok8s.dev", "10.125.7.0/24", true, "10.0.0.0/24"));
        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.kind()).isEqualTo(SubnetMismatch.Kind.SHARED_NETWORK_SUBNET);
            assertThat(f.lines()).isEqualTo("""
                    error: registry network 'lok8s-registries' exists with subnet 10.125.200.0/24, expected 10.0.0.0/24
                    fix: align spec.registries.shared.network.cidr with the existing network, or run: \
                    lo registry clean --shared && lo provision 7.lok8s.dev""");
            assertThat(f.existingCidr()).as("the recorded subnet, for the SubnetMismatchDetected event")
                    .isEqualTo("10.125.200.0/24");
        });
        assertThat(mismatches.check(spec("c", "7.lok8s.dev", "10.125.7.0/24", false, "10.0.0.0/24")))
                .as("shared registries off: the shared network does not matter").isEmpty();
    }

    @Test
    void aProjectSubnetUsedByAnotherProjectNamesThatProjectAndItsDomain() {
        var findings = mismatches.check(spec("c", "7.lok8s.dev", "10.125.50.0/24", true, "10.125.200.0/24"));
        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.kind()).isEqualTo(SubnetMismatch.Kind.PROJECT_SUBNET_IN_USE);
            List<String> lines = f.lines().lines().toList();
            assertThat(lines.getFirst()).isEqualTo("error: project subnet 10.125.50.0/24 is already used by project 'b'"
                    + " (domain 50.lok8s.dev, subnet 10.125.50.0/24)");
            assertThat(lines.get(1)).startsWith("fix: ").contains("'b'");
            assertThat(f.otherProject()).as("the project using the subnet").isEqualTo("b");
            assertThat(f.existingCidr()).as("its subnet").isEqualTo("10.125.50.0/24");
        });
        assertThat(mismatches.check(spec("c", "lok8s.dev", "10.125.125.0/24", true, "10.125.200.0/24")))
                .as("project a's network was removed, its subnet is free").isEmpty();
    }
}
