package dev.lok8s.lo.cache;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ByteSizeTest {

    @Test
    void decimalUnitsLikeTheDockerCli() {
        assertThat(ByteSize.human(0)).isEqualTo("0 B");
        assertThat(ByteSize.human(999)).isEqualTo("999 B");
        assertThat(ByteSize.human(1000)).isEqualTo("1.0 kB");
        assertThat(ByteSize.human(1_984_000)).isEqualTo("2.0 MB");
        assertThat(ByteSize.human(1_940_000)).isEqualTo("1.9 MB");
        assertThat(ByteSize.human(123_456_789)).isEqualTo("123 MB");
        assertThat(ByteSize.human(999_990)).as("rounds up into the next unit").isEqualTo("1.0 MB");
        assertThat(ByteSize.human(5_300_000_000L)).isEqualTo("5.3 GB");
        assertThat(ByteSize.human(-1)).isEqualTo("-");
    }
}
