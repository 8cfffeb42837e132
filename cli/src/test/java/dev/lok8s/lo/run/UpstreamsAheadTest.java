package dev.lok8s.lo.run;

import dev.lok8s.lo.spec.SpecBuilder;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which provisions ask their mirrors' upstreams ahead of the decision: all but those with an upstream at an
 * address in a planned network, whose answer depends on which planned networks the machine has when deciding.
 */
class UpstreamsAheadTest {

    @Test
    void upstreamsByNameOrOutsideThePlannedNetworksAreAskedAhead() {
        assertThat(ProvisionService.upstreamInPlannedNetwork(SpecBuilder.defaultCluster()
                .mirrors("io-docker", "https://registry-1.docker.io", "io-quay", "https://quay.io").plan()))
                .as("names").isFalse();
        assertThat(ProvisionService.upstreamInPlannedNetwork(SpecBuilder.defaultCluster()
                .mirrors("io-docker", "http://10.213.99.5:5000").plan()))
                .as("an address in no planned network").isFalse();
        assertThat(ProvisionService.upstreamInPlannedNetwork(SpecBuilder.defaultCluster()
                .mirrors("io-docker", "http://[::1]:5000", "io-quay", "http://010.125.200.9").plan()))
                .as("not IPv4 addresses as Docker reads them").isFalse();
    }

    @Test
    void anUpstreamInAPlannedNetworkIsAskedWhenTheRunDecides() {
        assertThat(ProvisionService.upstreamInPlannedNetwork(SpecBuilder.defaultCluster()
                .mirrors("io-docker", "https://registry-1.docker.io", "io-local", "http://10.125.200.99:5000").plan()))
                .as("in the shared network").isTrue();
        assertThat(ProvisionService.upstreamInPlannedNetwork(SpecBuilder.named("lotest-a")
                .network("lotest-a", "10.213.130.0/24").shared(false)
                .mirrors("io-docker", "http://10.213.130.150:5000").plan()))
                .as("in the project's network").isTrue();
    }
}
