package dev.lok8s.lo.plan;

import dev.lok8s.lo.spec.Cidr;
import dev.lok8s.lo.spec.ClusterSpec;
import dev.lok8s.lo.spec.MirrorSpec;
import dev.lok8s.lo.spec.NetworkSpec;
import dev.lok8s.lo.spec.NodesSpec;
import dev.lok8s.lo.spec.RegistriesSpec;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Builds ClusterSpec values as the parser would, defaults applied: the document's slot-125 cluster. */
final class SpecFixture {

    static final Path PROJECT_DIR = Path.of("/home/dev/lok8s/clusters/lok8s.dev");

    private String name = "lok8s";
    private String domain = ClusterSpec.DEFAULT_DOMAIN;
    private int slot = 125;
    private NetworkSpec network = new NetworkSpec("lok8s", Cidr.parse("10.125.125.0/24"));
    private boolean shared = true;
    private NetworkSpec sharedNetwork = new NetworkSpec(RegistriesSpec.DEFAULT_SHARED_NETWORK,
            Cidr.parse(RegistriesSpec.DEFAULT_SHARED_CIDR));
    private List<MirrorSpec> mirrors = MirrorSpec.STANDARD;
    private boolean tls;
    private String image = RegistriesSpec.DEFAULT_IMAGE;
    private String kubernetesVersion;
    private NodesSpec nodes = NodesSpec.DEFAULT;

    /** {@code lok8s.dev}: slot 125, shared mirrors, the four standard mirrors, plain HTTP. */
    static SpecFixture defaultCluster() {
        return new SpecFixture();
    }

    /** {@code <slot>.lok8s.dev} on {@code 10.125.<slot>.0/24}. */
    static SpecFixture slot(int slot) {
        SpecFixture fixture = new SpecFixture();
        fixture.name = "lok8s-" + slot;
        fixture.domain = slot + "." + ClusterSpec.DEFAULT_DOMAIN;
        fixture.slot = slot;
        fixture.network = new NetworkSpec("lok8s-" + slot, Cidr.parse("10.125." + slot + ".0/24"));
        return fixture;
    }

    SpecFixture name(String name) {
        this.name = name;
        return this;
    }

    SpecFixture network(String name, String cidr) {
        this.network = new NetworkSpec(name, Cidr.parse(cidr));
        return this;
    }

    SpecFixture shared(boolean shared) {
        this.shared = shared;
        return this;
    }

    SpecFixture sharedNetwork(String name, String cidr) {
        this.sharedNetwork = new NetworkSpec(name, Cidr.parse(cidr));
        return this;
    }

    /** Pairs of name, url. */
    SpecFixture mirrors(String... nameUrlPairs) {
        List<MirrorSpec> list = new ArrayList<>();
        for (int i = 0; i < nameUrlPairs.length; i += 2) {
            list.add(new MirrorSpec(nameUrlPairs[i], URI.create(nameUrlPairs[i + 1])));
        }
        this.mirrors = list;
        return this;
    }

    SpecFixture tls(boolean tls) {
        this.tls = tls;
        return this;
    }

    SpecFixture image(String image) {
        this.image = image;
        return this;
    }

    SpecFixture kubernetesVersion(String version) {
        this.kubernetesVersion = version;
        return this;
    }

    SpecFixture nodes(int controlPlane, int workers) {
        this.nodes = new NodesSpec(controlPlane, workers);
        return this;
    }

    ClusterSpec build() {
        return new ClusterSpec(PROJECT_DIR.resolve("cluster.lok8s.yaml"), name, domain, slot, network,
                new RegistriesSpec(shared, sharedNetwork, mirrors, tls, image), "kind", kubernetesVersion, nodes);
    }

    RegistryPlan plan() {
        return Planner.plan(build(), PlanSettings.of(PROJECT_DIR));
    }
}
