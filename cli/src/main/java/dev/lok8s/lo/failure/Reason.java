package dev.lok8s.lo.failure;

import java.util.Objects;

/**
 * Why something failed, as data: a one-line message and, when there is one, the command or change
 * that fixes it. Domain code builds these; only {@link #lines()} adds the {@code error: } and
 * {@code fix: } prefixes that the command line prints.
 *
 * @param message what is wrong, without an {@code error: } prefix
 * @param fix     how to fix it, without a {@code fix: } prefix; null when there is nothing to suggest
 */
public record Reason(String message, String fix) {

    private static final String ERROR = "error: ";
    private static final String FIX = "fix: ";
    /** Where a fix starts in the printed or recorded text. */
    private static final String FIX_LINE = "\n" + FIX;

    public Reason {
        Objects.requireNonNull(message, "message");
        if (fix != null && fix.isBlank()) {
            fix = null;
        }
    }

    public static Reason of(String message) {
        return new Reason(message, null);
    }

    public static Reason of(String message, String fix) {
        return new Reason(message, fix);
    }

    /** The line a command prints for a failure that has no fix to suggest. */
    public static String errorLine(String message) {
        return ERROR + message;
    }

    /** The line a command prints for a fix: {@code fix: <fix>}; null for none. */
    public static String fixLine(String fix) {
        return fix == null ? null : FIX + fix;
    }

    /** The lines a command prints on stderr: {@code error: <message>}, then {@code fix: <fix>} when there is one. */
    public String lines() {
        return errorLine(message) + (fix == null ? "" : "\n" + fixLine(fix));
    }

    /**
     * The text a run records as its error and prints in JSON: the message alone, or both printed
     * lines when there is a fix. Runs recorded before failures had fields read the same.
     */
    public String recorded() {
        return fix == null ? message : lines();
    }

    /** Reads {@link #recorded()} or {@link #lines()} back; any other text is a message without a fix. */
    public static Reason parse(String text) {
        Objects.requireNonNull(text, "text");
        String body = text.startsWith(ERROR) ? text.substring(ERROR.length()) : text;
        int fixAt = body.lastIndexOf(FIX_LINE);
        return fixAt < 0 ? of(body) : new Reason(body.substring(0, fixAt), body.substring(fixAt + FIX_LINE.length()));
    }
}
