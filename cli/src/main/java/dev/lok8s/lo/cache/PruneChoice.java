package dev.lok8s.lo.cache;

import dev.lok8s.lo.spec.CacheLimits;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which cached images a prune removes from one mirror: pure. Least recently pulled first (never seen
 * pulled counts as oldest), every image not pulled for {@code unusedFor}, and more until the mirror's
 * estimated size is at most {@code keepStorage}. An image frees the blobs no image that stays uses
 * (layers shared with a kept image stay), so the estimate goes down by those alone.
 */
public final class PruneChoice {

    /**
     * An image in a mirror's storage: one manifest (an index or an image) and what it holds.
     *
     * @param tags       its tags in the repository; empty when only its digest was pulled
     * @param manifests  the digests of its manifest and, for an index, of the platform manifests stored
     * @param blobs      blob digest to size, over its platform manifests (configs and layers)
     * @param lastPulled the newest pull of any of its tags or manifests the mirror served; null when lo never saw one
     */
    public record CachedImage(String repository, String digest, List<String> tags, List<String> manifests,
                              Map<String, Long> blobs, Instant lastPulled) {
        public CachedImage {
            tags = List.copyOf(tags);
            manifests = List.copyOf(manifests);
            blobs = Map.copyOf(blobs);
        }

        /** {@code repository:tag[,tag]}, or {@code repository@digest} when untagged. */
        public String name() {
            return tags.isEmpty() ? repository + "@" + digest : repository + ":" + String.join(",", tags);
        }
    }

    /**
     * One image to remove.
     *
     * @param bytes     what removing it frees: its blobs that no image staying (nor one removed before it) uses
     * @param manifests the manifests to delete: its own, less any a staying image shares
     * @param reason    {@code unused} (older than the limit) or {@code size} (over the limit)
     */
    public record Removal(CachedImage image, long bytes, List<String> manifests, String reason) {
        public Removal {
            manifests = List.copyOf(manifests);
        }
    }

    /**
     * @param before the size the choice started from
     * @param after  the estimated size once the removals' blobs are collected
     */
    public record Choice(List<Removal> removals, long before, long after) {
        public Choice {
            removals = List.copyOf(removals);
        }

        public long bytes() {
            return removals.stream().mapToLong(Removal::bytes).sum();
        }
    }

    private PruneChoice() {
    }

    /**
     * @param volumeBytes the mirror's volume as measured; null to estimate it from the images' blobs
     */
    public static Choice choose(List<CachedImage> images, Long volumeBytes, CacheLimits limits, Instant now) {
        List<CachedImage> order = new ArrayList<>(images);
        order.sort(Comparator.comparing(CachedImage::lastPulled, Comparator.nullsFirst(Comparator.naturalOrder()))
                .thenComparing(CachedImage::repository).thenComparing(CachedImage::digest));
        Map<String, Integer> blobUsers = new HashMap<>();
        Map<String, Long> blobSizes = new HashMap<>();
        Map<String, Integer> manifestUsers = new HashMap<>();
        for (CachedImage image : order) {
            image.blobs().forEach((digest, size) -> {
                blobUsers.merge(digest, 1, Integer::sum);
                blobSizes.put(digest, Math.max(0, size));
            });
            new LinkedHashSet<>(image.manifests()).forEach(m -> manifestUsers.merge(m, 1, Integer::sum));
        }
        long before = volumeBytes != null ? volumeBytes : blobSizes.values().stream().mapToLong(Long::longValue).sum();
        long estimate = before;
        Instant unusedBefore = limits.unusedFor() == null ? null : now.minus(limits.unusedFor());
        List<Removal> removals = new ArrayList<>();
        for (CachedImage image : order) {
            boolean unused = unusedBefore != null && (image.lastPulled() == null || image.lastPulled().isBefore(unusedBefore));
            boolean over = limits.keepStorage() != null && estimate > limits.keepStorage();
            if (!unused && !over) {
                continue;
            }
            long freed = 0;
            for (Map.Entry<String, Long> blob : image.blobs().entrySet()) {
                if (blobUsers.merge(blob.getKey(), -1, Integer::sum) == 0) {
                    freed += blobSizes.get(blob.getKey());
                }
            }
            List<String> manifests = new ArrayList<>();
            for (String m : new LinkedHashSet<>(image.manifests())) {
                if (manifestUsers.merge(m, -1, Integer::sum) == 0) {
                    manifests.add(m);
                }
            }
            estimate = Math.max(0, estimate - freed);
            removals.add(new Removal(image, freed, manifests, unused ? "unused" : "size"));
        }
        return new Choice(removals, before, estimate);
    }

    /** Keys of a {@link CachedImage}'s pulls in {@code lastPulls}: its tags, its manifest and its platform manifests. */
    public static Instant lastPulled(String repository, List<String> tags, List<String> manifests,
                                     Map<String, Instant> lastPulls) {
        Instant last = null;
        Set<String> references = new LinkedHashSet<>(tags);
        references.addAll(manifests);
        for (String reference : references) {
            Instant at = lastPulls.get(repository + "\n" + reference);
            if (at != null && (last == null || at.isAfter(last))) {
                last = at;
            }
        }
        return last;
    }
}
