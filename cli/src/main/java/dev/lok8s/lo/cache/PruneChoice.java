package dev.lok8s.lo.cache;

import java.time.Duration;
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

    /** The limits of a prune; either may be null, not both. */
    public record Limits(Long keepStorage, Duration unusedFor) {
        public Limits {
            if (keepStorage != null && keepStorage < 0) {
                throw new IllegalArgumentException("keep-storage must not be negative");
            }
            if (unusedFor != null && unusedFor.isNegative()) {
                throw new IllegalArgumentException("unused-for must not be negative");
            }
        }

        public boolean none() {
            return keepStorage == null && unusedFor == null;
        }
    }

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
    public static Choice choose(List<CachedImage> images, Long volumeBytes, Limits limits, Instant now) {
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

    /** Bytes in a size such as {@code 10GB}, {@code 512MiB}, {@code 1.5 GB}, {@code 0}; decimal and binary units. */
    public static long parseSize(String text) {
        String s = text.strip().replace(" ", "");
        int i = 0;
        while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
            i++;
        }
        if (i == 0 || s.length() > 24) {
            throw new IllegalArgumentException("'" + text + "' is not a size; expected e.g. 10GB, 500MB or 2GiB");
        }
        double number;
        try {
            number = Double.parseDouble(s.substring(0, i));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not a size; expected e.g. 10GB, 500MB or 2GiB");
        }
        long unit = switch (s.substring(i).toLowerCase(java.util.Locale.ROOT)) {
            case "", "b" -> 1L;
            case "k", "kb" -> 1000L;
            case "m", "mb" -> 1000L * 1000;
            case "g", "gb" -> 1000L * 1000 * 1000;
            case "t", "tb" -> 1000L * 1000 * 1000 * 1000;
            case "kib" -> 1L << 10;
            case "mib" -> 1L << 20;
            case "gib" -> 1L << 30;
            case "tib" -> 1L << 40;
            default -> throw new IllegalArgumentException("'" + text + "' has an unknown unit; use B, kB, MB, GB, TB"
                    + " or KiB, MiB, GiB, TiB");
        };
        double bytes = number * unit;
        if (bytes > 1L << 60) {
            throw new IllegalArgumentException("'" + text + "' is larger than lo accepts (1 EiB)");
        }
        return (long) bytes;
    }

    /** A duration such as {@code 30d}, {@code 12h}, {@code 90m}, {@code 2w}. */
    public static Duration parseDuration(String text) {
        String s = text.strip();
        if (s.length() < 2 || s.length() > 12) {
            throw new IllegalArgumentException("'" + text + "' is not a duration; expected e.g. 30d, 12h or 90m");
        }
        long n;
        try {
            n = Long.parseLong(s.substring(0, s.length() - 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not a duration; expected e.g. 30d, 12h or 90m");
        }
        if (n < 0 || n > 100_000) {
            throw new IllegalArgumentException("'" + text + "' is out of range (0 to 100000 of a unit)");
        }
        return switch (s.charAt(s.length() - 1)) {
            case 's' -> Duration.ofSeconds(n);
            case 'm' -> Duration.ofMinutes(n);
            case 'h' -> Duration.ofHours(n);
            case 'd' -> Duration.ofDays(n);
            case 'w' -> Duration.ofDays(7 * n);
            default -> throw new IllegalArgumentException("'" + text + "' has an unknown unit; use s, m, h, d or w");
        };
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
