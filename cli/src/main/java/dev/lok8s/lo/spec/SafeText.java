package dev.lok8s.lo.spec;

/**
 * The one rule for text from outside lo (a spec value, an event field, a command-line argument echoed in
 * an error, a file's content, a registry's answer) before it is printed: made safe to print on a terminal and
 * short enough to read: control characters (C0, DEL, C1, and the bidirectional overrides that reorder
 * what a terminal shows) become escapes such as <code>&#92;u001b</code>, any word longer than {@value #MAX_WORD}
 * characters is cut, and the whole text is cut at {@value #MAX_TEXT}; each cut says how much it left out.
 */
public final class SafeText {

    public static final int MAX_WORD = 200;
    public static final int MAX_TEXT = 2000;

    private SafeText() {
    }

    /** Escaped and cut: what every line built from user-given values goes through before it is shown. */
    public static String shown(String text) {
        if (text == null) {
            return null;
        }
        return cut(cutWords(escape(text), MAX_WORD), MAX_TEXT);
    }

    /**
     * Text of several lines (an error and its fix) shown line by line: each line as {@link #shown}, the
     * line breaks kept. What the command line's error handler prints goes through this.
     */
    public static String lines(String text) {
        if (text == null) {
            return null;
        }
        if (text.indexOf('\n') < 0 && text.indexOf('\r') < 0) {
            return shown(text);
        }
        StringBuilder out = new StringBuilder(text.length());
        text.lines().forEach(line -> out.append(out.isEmpty() ? "" : "\n").append(shown(line)));
        return out.toString();
    }

    /** Control characters as <code>&#92;uXXXX</code>; everything else (a backslash too) unchanged. */
    public static String escape(String text) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (isControl(c)) {
                if (out == null) {
                    out = new StringBuilder(text.length() + 16).append(text, 0, i);
                }
                out.append(String.format("\\u%04x", (int) c));
            } else if (out != null) {
                out.append(c);
            }
        }
        return out == null ? text : out.toString();
    }

    static boolean isControl(char c) {
        return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u061c' || c == '\u200e' || c == '\u200f'
                || (c >= '\u202a' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069');
    }

    /** The text, or its first {@code max} characters and a marker saying how many more there were. */
    public static String cut(String text, int max) {
        if (text.length() <= max) {
            return text;
        }
        return text.substring(0, max) + "...[" + (text.length() - max) + " more characters]";
    }

    /** Every run of non-blank characters longer than {@code max} cut to {@code max}, with a marker. */
    static String cutWords(String text, int max) {
        if (text.length() <= max) {
            return text;
        }
        StringBuilder out = new StringBuilder(Math.min(text.length(), MAX_TEXT));
        int i = 0;
        while (i < text.length()) {
            int start = i;
            boolean blank = text.charAt(i) == ' ';
            while (i < text.length() && (text.charAt(i) == ' ') == blank) {
                i++;
            }
            String run = text.substring(start, i);
            out.append(blank ? run : cut(run, max));
        }
        return out.toString();
    }
}
