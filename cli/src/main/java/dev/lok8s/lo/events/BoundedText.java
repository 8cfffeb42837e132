package dev.lok8s.lo.events;

/**
 * Cuts text that would not fit where it is recorded, with a marker saying how much was cut, so an
 * overlong input still gets its attempt recorded (and its real error shown) instead of failing the append.
 */
public final class BoundedText {

    private BoundedText() {
    }

    /** {@code text} when it has at most {@code max} characters; else its start and a marker, {@code max} characters in all. */
    public static String cut(String text, int max) {
        if (text == null || text.length() <= max) {
            return text;
        }
        String marker = "... [cut: " + text.length() + " characters]";
        int keep = Math.max(0, max - marker.length());
        if (keep > 0 && Character.isHighSurrogate(text.charAt(keep - 1))) {
            keep--;  // never half a character
        }
        return text.substring(0, keep) + marker;
    }
}
