package dev.lok8s.lo.upstream;

import dev.lok8s.lo.spec.Cidr;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class AbsentSubnetTest {

    private static final List<Cidr> ABSENT = List.of(Cidr.parse("10.213.152.0/24"));

    @Test
    void anUpstreamInANetworkNotCreatedYetIsNotAsked() {
        assertThat(MirrorUpstreams.absentSubnetOf("http://10.213.152.99:5000", ABSENT))
                .as("an address in a planned network the machine lacks").isEqualTo(ABSENT.getFirst());
    }

    @Test
    void otherUpstreamsAreAsked() {
        assertThat(MirrorUpstreams.absentSubnetOf("http://10.213.153.99:5000", ABSENT)).as("another subnet").isNull();
        assertThat(MirrorUpstreams.absentSubnetOf("https://registry-1.docker.io", ABSENT)).as("a host name").isNull();
        assertThat(MirrorUpstreams.absentSubnetOf("http://[::1]:5000", ABSENT)).as("an IPv6 address").isNull();
        assertThat(MirrorUpstreams.absentSubnetOf("http://10.213.152.99:5000", List.of())).as("every network exists")
                .isNull();
    }
}
