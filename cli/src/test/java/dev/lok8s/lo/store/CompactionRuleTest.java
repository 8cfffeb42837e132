package dev.lok8s.lo.store;

import org.junit.jupiter.api.Test;

import java.util.OptionalLong;

import static dev.lok8s.lo.store.CompactionRule.Close.COMPACT;
import static dev.lok8s.lo.store.CompactionRule.Close.KEEP;
import static dev.lok8s.lo.store.CompactionRule.Close.REWRITE;
import static dev.lok8s.lo.store.CompactionRule.FULL_REWRITE_UP_TO;
import static dev.lok8s.lo.store.CompactionRule.GROWTH;
import static dev.lok8s.lo.store.CompactionRule.atClose;
import static dev.lok8s.lo.store.CompactionRule.Mode.EVERY_CLOSE;
import static dev.lok8s.lo.store.CompactionRule.Mode.WHEN_GROWN;
import static dev.lok8s.lo.store.CompactionRule.compactAtClose;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Sizes in, the close's decision out. */
class CompactionRuleTest {

    static final long KIB = 1024;

    @Test
    void withoutARecordTheCloseCompactsAndSoWritesOne() {
        assertThat(compactAtClose(WHEN_GROWN, 600 * KIB, OptionalLong.empty())).isTrue();
    }

    @Test
    void aFileThatGrewByUpToTheAllowanceIsNotCompacted() {
        long last = 500 * KIB;
        assertThat(compactAtClose(WHEN_GROWN, last, OptionalLong.of(last))).as("unchanged").isFalse();
        assertThat(compactAtClose(WHEN_GROWN, last + 90 * KIB, OptionalLong.of(last))).as("one re-run's chunks").isFalse();
        assertThat(compactAtClose(WHEN_GROWN, last + GROWTH, OptionalLong.of(last))).as("exactly the allowance").isFalse();
    }

    @Test
    void aFileThatGrewPastTheAllowanceIsCompacted() {
        long last = 500 * KIB;
        assertThat(compactAtClose(WHEN_GROWN, last + GROWTH + 1, OptionalLong.of(last))).isTrue();
        assertThat(compactAtClose(WHEN_GROWN, 2_000_000_000L, OptionalLong.of(1_800_000_000L))).as("a large store").isTrue();
    }

    @Test
    void theAllowanceIsTheSameForALargeStore() {
        long last = 1_800_000_000L;
        assertThat(compactAtClose(WHEN_GROWN, last + GROWTH, OptionalLong.of(last))).isFalse();
        assertThat(compactAtClose(WHEN_GROWN, last + GROWTH + 1, OptionalLong.of(last))).isTrue();
    }

    @Test
    void aFileSmallerThanRecordedIsCompactedSoTheRecordIsItsOwnAgain() {
        // another store moved into place, or lo serve compacted it
        assertThat(compactAtClose(WHEN_GROWN, 300 * KIB, OptionalLong.of(50_000 * KIB))).isTrue();
    }

    @Test
    void everyCloseCompactsWhateverTheSizes() {
        assertThat(compactAtClose(EVERY_CLOSE, 500 * KIB, OptionalLong.of(500 * KIB))).isTrue();
    }

    @Test
    void aSmallFileIsRewrittenALargeOneGetsTheTimedCompaction() {
        long last = 500 * KIB;
        assertThat(atClose(WHEN_GROWN, last + 90 * KIB, OptionalLong.of(last))).isEqualTo(KEEP);
        assertThat(atClose(WHEN_GROWN, last + GROWTH + 1, OptionalLong.of(last))).isEqualTo(REWRITE);
        assertThat(atClose(WHEN_GROWN, FULL_REWRITE_UP_TO, OptionalLong.empty())).isEqualTo(REWRITE);
        assertThat(atClose(WHEN_GROWN, FULL_REWRITE_UP_TO + 1, OptionalLong.empty())).isEqualTo(COMPACT);
        assertThat(atClose(EVERY_CLOSE, 500 * KIB, OptionalLong.of(500 * KIB))).as("lo serve, as before").isEqualTo(COMPACT);
    }

    @Test
    void theSettingsValues() {
        assertThat(CompactionRule.Mode.of("when-grown")).isEqualTo(WHEN_GROWN);
        assertThat(CompactionRule.Mode.of(" Every-Close ")).isEqualTo(EVERY_CLOSE);
        assertThatThrownBy(() -> CompactionRule.Mode.of("never"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("lo.store.compaction (LO_STORE_COMPACTION): 'never' is not a mode: use when-grown or every-close");
    }
}
