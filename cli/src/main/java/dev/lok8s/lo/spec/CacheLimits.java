package dev.lok8s.lo.spec;

import java.time.Duration;
import java.util.Locale;

/**
 * {@code spec.registries.prune}: what {@code lo registry prune} keeps of each mirror's cache when it is
 * given no limits of its own.
 *
 * @param keepStorage bytes each mirror may keep; null for no size limit
 * @param unusedFor   images not pulled for this long are removed; null for no age limit
 */
public record CacheLimits(Long keepStorage, Duration unusedFor) {

    public static final CacheLimits NONE = new CacheLimits(null, null);
    /** Largest size accepted: 1 EiB. */
    static final long MAX_BYTES = 1L << 60;
    static final long MAX_DURATION_UNITS = 100_000;

    public CacheLimits {
        if (keepStorage != null && (keepStorage < 0 || keepStorage > MAX_BYTES)) {
            throw new IllegalArgumentException("keepStorage out of range: " + keepStorage);
        }
        if (unusedFor != null && unusedFor.isNegative()) {
            throw new IllegalArgumentException("unusedFor must not be negative");
        }
    }

    public boolean none() {
        return keepStorage == null && unusedFor == null;
    }

    /** Bytes in a size such as {@code 10GB}, {@code 512MiB}, {@code 1.5GB}, {@code 0}: decimal and binary units. */
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
        long unit = switch (s.substring(i).toLowerCase(Locale.ROOT)) {
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
        if (bytes > MAX_BYTES) {
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
        if (n < 0 || n > MAX_DURATION_UNITS) {
            throw new IllegalArgumentException("'" + text + "' is out of range (0 to " + MAX_DURATION_UNITS
                    + " of a unit)");
        }
        return switch (s.charAt(s.length() - 1)) {
            case 's' -> Duration.ofSeconds(n);
            case 'm' -> Duration.ofMinutes(n);
            case 'h' -> Duration.ofHours(n);
            case 'd' -> Duration.ofDays(n);
            case 'w' -> Duration.ofDays(7 * n);
            default -> throw new IllegalArgumentException("'" + text + "' is not a duration: unknown unit; use s, m, h, d or w");
        };
    }
}
