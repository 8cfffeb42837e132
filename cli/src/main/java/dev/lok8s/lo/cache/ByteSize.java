package dev.lok8s.lo.cache;

import java.util.Locale;

/** Sizes for people: decimal units like the docker CLI prints them ({@code 1.9 MB}, {@code 523 B}). */
public final class ByteSize {

    private static final String[] UNITS = {"kB", "MB", "GB", "TB", "PB", "EB"};

    private ByteSize() {
    }

    public static String human(long bytes) {
        if (bytes < 0) {
            return "-";
        }
        if (bytes < 1000) {
            return bytes + " B";
        }
        double value = bytes;
        int unit = -1;
        while (value >= 999.95 && unit < UNITS.length - 1) {
            value /= 1000;
            unit++;
        }
        return String.format(Locale.ROOT, value >= 100 ? "%.0f %s" : "%.1f %s", value, UNITS[unit]);
    }
}
