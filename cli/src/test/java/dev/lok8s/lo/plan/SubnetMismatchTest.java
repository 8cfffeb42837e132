package dev.lok8s.lo.plan;

import dev.lok8s.lo.plan.SubnetMismatch.Kind;
import dev.lok8s.lo.plan.SubnetMismatch.ProjectNetworkSubnet;
import dev.lok8s.lo.plan.SubnetMismatch.ProjectSubnetInUse;
import dev.lok8s.lo.plan.SubnetMismatch.SharedNetworkSubnet;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Every subnet-mismatch text, as lo prints it (the user documentation words the shared one). */
class SubnetMismatchTest {

    static final SharedNetworkSubnet SHARED = new SharedNetworkSubnet("lok8s.dev", "lok8s-registries",
            "10.125.200.0/24", "10.0.0.0/24");

    static PlannedNetwork planned(String name, String cidr, Scope scope) {
        return new PlannedNetwork(name, cidr, null, null, scope, java.util.Map.of());
    }

    @Test
    void aNetworkFoundWithThePlannedSubnetIsNoMismatchHoweverTheSubnetIsWritten() {
        var shared = planned("lok8s-registries", "10.125.200.0/24", Scope.SHARED);
        assertThat(SubnetMismatch.of("lok8s.dev", shared, "10.125.200.0/24", List.of(), true)).isEmpty();
        assertThat(SubnetMismatch.of("lok8s.dev", shared, "10.125.200.77/24", List.of(), true))
                .as("a host address in the same /24 names the same subnet").isEmpty();
        assertThat(SubnetMismatch.of("lok8s.dev", shared, "10.125.200.0/25", List.of(), true))
                .as("another prefix is another subnet").isPresent();
        assertThat(SubnetMismatch.sameSubnet("not a cidr", "10.125.200.0/24")).isFalse();
        assertThat(SubnetMismatch.sameSubnet(null, "10.125.200.0/24")).isFalse();
    }

    @Test
    void aNetworkFoundWithAnotherSubnetIsTheMismatchOfItsScope() {
        assertThat(SubnetMismatch.of("lok8s.dev", planned("lok8s-registries", "10.0.0.0/24", Scope.SHARED),
                "10.125.200.0/24", List.of("x"), true)).contains(SHARED);
        assertThat(SubnetMismatch.of("lok8s.dev", planned("lok8s", "10.125.125.0/24", Scope.PROJECT),
                "10.1.2.0/24", List.of("web", "app"), false)).contains(new ProjectNetworkSubnet("lok8s.dev", "lok8s",
                "10.1.2.0/24", "10.125.125.0/24", List.of("app", "web"), false));
    }

    @Test
    void theSharedNetworkWithAnotherSubnet() {
        assertThat(SHARED.kind()).isEqualTo(Kind.SHARED_NETWORK_SUBNET);
        assertThat(SHARED.message())
                .isEqualTo("registry network 'lok8s-registries' exists with subnet 10.125.200.0/24, expected 10.0.0.0/24");
        assertThat(SHARED.fix()).isEqualTo("align spec.registries.shared.network.cidr with the existing network,"
                + " or run: lo registry clean --shared && lo provision lok8s.dev");
        assertThat(SHARED.lines()).isEqualTo("""
                error: registry network 'lok8s-registries' exists with subnet 10.125.200.0/24, expected 10.0.0.0/24
                fix: align spec.registries.shared.network.cidr with the existing network, or run: \
                lo registry clean --shared && lo provision lok8s.dev""");
        assertThat(SHARED.text().headline()).as("no reason to add").isEqualTo(SHARED.message());
        assertThat(SHARED.text().command()).isEqualTo("lo registry clean --shared && lo provision lok8s.dev");
        assertThat(SHARED.otherProject()).isNull();
    }

    @Test
    void aProjectNetworkWithContainersAttachedNamesThemSorted() {
        var m = new ProjectNetworkSubnet("lok8s.dev", "lok8s", "10.1.2.0/24", "10.125.125.0/24",
                List.of("web", "app"), true);
        assertThat(m.kind()).isEqualTo(Kind.PROJECT_NETWORK_SUBNET);
        assertThat(m.attachedContainers()).containsExactly("app", "web");
        assertThat(m.lines()).isEqualTo("""
                error: project network 'lok8s' exists with subnet 10.1.2.0/24, expected 10.125.125.0/24 \
                and containers are attached: app, web
                fix: align spec.network.cidr with the existing network, or clean and re-provision: \
                lo destroy lok8s.dev && lo provision lok8s.dev""");
        assertThat(m.text().headline())
                .isEqualTo("project network 'lok8s' exists with subnet 10.1.2.0/24, expected 10.125.125.0/24");
        assertThat(m.text().command()).isEqualTo("lo destroy lok8s.dev && lo provision lok8s.dev");
    }

    @Test
    void anEmptyProjectNetworkLoDidNotCreateSaysSo() {
        var foreign = new ProjectNetworkSubnet("lok8s.dev", "lok8s", "10.1.2.0/24", "10.125.125.0/24", List.of(),
                false);
        assertThat(foreign.message()).isEqualTo(
                "project network 'lok8s' exists with subnet 10.1.2.0/24, expected 10.125.125.0/24 (it was not created by lo)");
        assertThat(foreign.fix()).isEqualTo("align spec.network.cidr with the existing network, or clean and"
                + " re-provision: lo destroy lok8s.dev && lo provision lok8s.dev");
        var attachedAndForeign = new ProjectNetworkSubnet("lok8s.dev", "lok8s", "10.1.2.0/24", "10.125.125.0/24",
                List.of("app"), false);
        assertThat(attachedAndForeign.message()).as("attached containers are the reason given first")
                .endsWith("expected 10.125.125.0/24 and containers are attached: app");
        var ownEmpty = new ProjectNetworkSubnet("lok8s.dev", "lok8s", "10.1.2.0/24", "10.125.125.0/24", List.of(),
                true);
        assertThat(ownEmpty.message()).as("lo's own empty network: no reason, only the difference")
                .isEqualTo(ownEmpty.text().headline());
    }

    @Test
    void aProjectSubnetInUseNamesTheOtherProjectAndItsDomain() {
        var m = new ProjectSubnetInUse("7.lok8s.dev", "lok8s-7", "10.125.50.0/24", "b", "50.lok8s.dev",
                "10.125.50.0/24");
        assertThat(m.kind()).isEqualTo(Kind.PROJECT_SUBNET_IN_USE);
        assertThat(m.otherProject()).isEqualTo("b");
        assertThat(m.lines()).isEqualTo("""
                error: project subnet 10.125.50.0/24 is already used by project 'b' (domain 50.lok8s.dev, subnet 10.125.50.0/24)
                fix: choose another slot in spec.network.cidr, or destroy project 'b' (50.lok8s.dev) first""");
        assertThat(m.text().command()).as("the fix names no command line").isNull();
    }

    @Test
    void messageAndFixCarryNoPrefix() {
        for (SubnetMismatch m : List.of(SHARED,
                new ProjectNetworkSubnet("d", "n", "10.1.0.0/24", "10.2.0.0/24", List.of(), false),
                new ProjectSubnetInUse("d", "n", "10.1.0.0/24", "o", "o.dev", "10.1.0.0/24"))) {
            assertThat(m.message()).as("%s", m).doesNotStartWith("error").doesNotContain("\n");
            assertThat(m.fix()).as("%s", m).doesNotStartWith("fix").doesNotContain("\n");
            assertThat(m.lines()).isEqualTo("error: " + m.message() + "\nfix: " + m.fix());
        }
    }
}
