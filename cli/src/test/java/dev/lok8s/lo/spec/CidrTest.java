package dev.lok8s.lo.spec;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class CidrTest {

    @Test
    void parses_and_prints() {
        Cidr cidr = Cidr.parse("10.125.125.0/24");

        assertThat(cidr.toString()).as("round trip").isEqualTo("10.125.125.0/24");
        assertThat(cidr.host(101)).as(".101").isEqualTo("10.125.125.101");
        assertThat(cidr.gateway()).as("gateway").isEqualTo("10.125.125.1");
        assertThat(cidr.broadcast()).as("broadcast").isEqualTo("10.125.125.255");
        assertThat(cidr.address()).as("address").isEqualTo("10.125.125.0");
        assertThat(cidr.size()).as("size").isEqualTo(256);
        assertThat(cidr.thirdOctet()).as("slot").isEqualTo(125);
    }

    @Test
    void normalises_to_the_network_address() {
        assertThat(Cidr.parse("10.125.125.7/24")).as("host bits dropped").isEqualTo(Cidr.parse("10.125.125.0/24"));
    }

    @Test
    void extreme_prefixes() {
        Cidr all = Cidr.parse("0.0.0.0/0");
        Cidr one = Cidr.parse("255.255.255.255/32");

        assertThat(all.size()).as("/0 size").isEqualTo(1L << 32);
        assertThat(all.contains("203.0.113.9")).as("/0 contains everything").isTrue();
        assertThat(all.broadcast()).as("/0 broadcast").isEqualTo("255.255.255.255");
        assertThat(one.size()).as("/32 size").isEqualTo(1);
        assertThat(one.host(0)).as("/32 host").isEqualTo("255.255.255.255");
        assertThat(one.toString()).as("high bit survives").isEqualTo("255.255.255.255/32");
        assertThatIllegalArgumentException().as("/32 has no .1").isThrownBy(one::gateway);
    }

    @Test
    void overlaps_and_contains() {
        Cidr project = Cidr.parse("10.125.125.0/24");

        assertThat(project.overlaps(Cidr.parse("10.125.0.0/16"))).as("inside a /16").isTrue();
        assertThat(Cidr.parse("10.125.0.0/16").overlaps(project)).as("symmetric").isTrue();
        assertThat(project.overlaps(Cidr.parse("10.125.200.0/24"))).as("neighbour").isFalse();
        assertThat(project.overlaps(Cidr.parse("10.125.125.128/25"))).as("upper half").isTrue();
        assertThat(project.contains("10.125.125.255")).as("broadcast inside").isTrue();
        assertThat(project.contains("10.125.126.0")).as("next subnet").isFalse();
    }

    @Test
    void host_offsets_outside_the_subnet_are_refused() {
        Cidr small = Cidr.parse("10.125.200.0/29");

        assertThat(small.host(7)).as("last").isEqualTo("10.125.200.7");
        assertThatIllegalArgumentException().as("past the end").isThrownBy(() -> small.host(8));
        assertThatIllegalArgumentException().as("negative").isThrownBy(() -> small.host(-1));
    }

    @Test
    void rejects_malformed_text() {
        for (String text : List.of("", " ", "10.125.125.0", "10.125.125/24", "10.125.125.0/33", "10.125.125.0/-1",
                "10.125.125.0/+24", "10.125.125.0/", "10.125.125.0/024", "010.125.125.0/24", "10.125.256.0/24",
                "10.125.125.0.1/24", "10..125.0/24", "١٠.125.125.0/24", "10.125.125.0/٢٤", " 10.125.125.0/24",
                "10.125.125.0/24 ", "a.b.c.d/24", "10.125.125.0/24/1")) {
            assertThatIllegalArgumentException().as("'%s'", text).isThrownBy(() -> Cidr.parse(text));
        }
        assertThatIllegalArgumentException().as("null").isThrownBy(() -> Cidr.parse(null));
    }

    @Test
    void zero_octets_and_prefix_are_valid() {
        assertThat(Cidr.parse("0.0.0.0/0").prefix()).as("/0").isZero();
        assertThat(Cidr.parse("10.0.0.0/8").toString()).as("zeros").isEqualTo("10.0.0.0/8");
    }

    @Test
    void slot_subnets() {
        assertThat(ProjectSlot.subnet(125)).as("125").isEqualTo(Cidr.parse("10.125.125.0/24"));
        assertThat(ProjectSlot.forDomain("lok8s.dev")).as("lok8s.dev").hasValue(125);
        assertThat(ProjectSlot.forDomain("50.lok8s.dev")).as("50").hasValue(50);
        assertThat(ProjectSlot.forDomain("050.lok8s.dev")).as("leading zero is neither form").isEmpty();
        assertThat(ProjectSlot.forDomain("x.lok8s.dev")).as("label").isEmpty();
    }
}
