package dev.lok8s.lo.cache;

import dev.lok8s.lo.spec.CacheLimits;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class PruneChoiceTest {

    static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");
    static final long MB = 1_000_000L;

    static PruneChoice.CachedImage image(String repository, Instant lastPulled, Map<String, Long> blobs) {
        return new PruneChoice.CachedImage(repository, "sha256:" + repository.hashCode(), List.of("1"),
                List.of("sha256:m-" + repository), blobs, lastPulled);
    }

    static List<String> removed(PruneChoice.Choice choice) {
        return choice.removals().stream().map(r -> r.image().repository() + " " + r.bytes() + " " + r.reason())
                .toList();
    }

    @Test
    void leastRecentlyPulledGoFirstUntilTheMirrorIsUnderTheSize() {
        var old = image("old", NOW.minus(Duration.ofDays(3)), Map.of("a", 40 * MB));
        var mid = image("mid", NOW.minus(Duration.ofDays(2)), Map.of("b", 30 * MB));
        var fresh = image("fresh", NOW.minus(Duration.ofHours(1)), Map.of("c", 20 * MB));
        var choice = PruneChoice.choose(List.of(fresh, old, mid), 90 * MB, new CacheLimits(50 * MB, null), NOW);
        assertThat(removed(choice)).containsExactly("old 40000000 size");
        assertThat(choice.after()).isEqualTo(50 * MB);

        var smaller = PruneChoice.choose(List.of(fresh, old, mid), 90 * MB, new CacheLimits(30 * MB, null), NOW);
        assertThat(removed(smaller)).containsExactly("old 40000000 size", "mid 30000000 size");
        assertThat(smaller.after()).isEqualTo(20 * MB);
    }

    @Test
    void neverSeenPulledCountsAsOldest() {
        var unseen = image("unseen", null, Map.of("a", 10 * MB));
        var seen = image("seen", NOW.minus(Duration.ofDays(300)), Map.of("b", 10 * MB));
        assertThat(removed(PruneChoice.choose(List.of(seen, unseen), null, new CacheLimits(10 * MB, null), NOW)))
                .containsExactly("unseen 10000000 size");
    }

    @Test
    void aLayerSharedWithAKeptImageStaysAndIsNotCounted() {
        var old = image("old", NOW.minus(Duration.ofDays(3)), Map.of("base", 50 * MB, "own", 5 * MB));
        var kept = image("kept", NOW, Map.of("base", 50 * MB, "app", 1 * MB));
        var choice = PruneChoice.choose(List.of(old, kept), 56 * MB, new CacheLimits(52 * MB, null), NOW);
        assertThat(removed(choice)).as("only its own layer is freed").containsExactly("old 5000000 size");
        assertThat(choice.after()).isEqualTo(51 * MB);
    }

    @Test
    void aSharedLayerIsCountedOnceWhenEveryImageUsingItGoes() {
        var a = image("a", NOW.minus(Duration.ofDays(3)), Map.of("base", 50 * MB));
        var b = image("b", NOW.minus(Duration.ofDays(2)), Map.of("base", 50 * MB, "b", 1 * MB));
        var choice = PruneChoice.choose(List.of(a, b), 51 * MB, new CacheLimits(0L, null), NOW);
        assertThat(removed(choice)).containsExactly("a 0 size", "b 51000000 size");
        assertThat(choice.bytes()).isEqualTo(51 * MB);
    }

    @Test
    void unusedForRemovesEveryOldImageWhateverTheSize() {
        var old = image("old", NOW.minus(Duration.ofDays(31)), Map.of("a", MB));
        var recent = image("recent", NOW.minus(Duration.ofDays(29)), Map.of("b", MB));
        var unseen = image("unseen", null, Map.of("c", MB));
        assertThat(removed(PruneChoice.choose(List.of(old, recent, unseen), 3 * MB,
                new CacheLimits(null, Duration.ofDays(30)), NOW)))
                .containsExactly("unseen 1000000 unused", "old 1000000 unused");
    }

    @Test
    void bothLimitsApply() {
        var old = image("old", NOW.minus(Duration.ofDays(31)), Map.of("a", MB));
        var big = image("big", NOW.minus(Duration.ofDays(2)), Map.of("b", 100 * MB));
        var fresh = image("fresh", NOW, Map.of("c", MB));
        assertThat(removed(PruneChoice.choose(List.of(old, big, fresh), 102 * MB,
                new CacheLimits(10 * MB, Duration.ofDays(30)), NOW)))
                .containsExactly("old 1000000 unused", "big 100000000 size");
    }

    @Test
    void underTheLimitNothingGoes() {
        var a = image("a", null, Map.of("a", MB));
        var choice = PruneChoice.choose(List.of(a), MB, new CacheLimits(2 * MB, null), NOW);
        assertThat(choice.removals()).isEmpty();
        assertThat(choice.after()).isEqualTo(MB);
    }

    @Test
    void aPlatformManifestSharedWithAKeptIndexIsNotDeleted() {
        var index = new PruneChoice.CachedImage("r", "sha256:index", List.of("1"), List.of("sha256:index", "sha256:amd64"),
                Map.of("l", MB), null);
        var single = new PruneChoice.CachedImage("r", "sha256:amd64", List.of("1-amd64"), List.of("sha256:amd64"),
                Map.of("l", MB), NOW);
        var choice = PruneChoice.choose(List.of(index, single), MB, new CacheLimits(0L, null), NOW);
        assertThat(choice.removals().getFirst().manifests()).containsExactly("sha256:index");
        assertThat(choice.removals().get(1).manifests()).containsExactly("sha256:amd64");
    }

    @Test
    void theLastPullOfAnImageIsTheNewestOfItsTagsAndManifests() {
        Map<String, Instant> pulls = Map.of(
                "r\n1", NOW.minus(Duration.ofDays(5)),
                "r\nsha256:amd64", NOW.minus(Duration.ofDays(1)),
                "other\n1", NOW);
        assertThat(PruneChoice.lastPulled("r", List.of("1"), List.of("sha256:index", "sha256:amd64"), pulls))
                .isEqualTo(NOW.minus(Duration.ofDays(1)));
        assertThat(PruneChoice.lastPulled("r", List.of("2"), List.of("sha256:x"), pulls)).isNull();
    }
}
