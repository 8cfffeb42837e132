package dev.lok8s.lo.query;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The rules for filter values as the command line and the API take them, in one place: page sizes,
 * positions, times.
 */
public final class Inputs {

    /** A page when none is asked for. */
    public static final int DEFAULT_LIMIT = 50;
    /** The largest page one request may ask for. */
    public static final int MAX_LIMIT = 10_000;

    /** What {@link #time} accepts, for its error message. */
    static final String TIME_FORMS = "is not an ISO-8601 time (for example 2026-11-27T18:01:02Z or 2026-11-27)";

    private Inputs() {
    }

    /** Runs {@code parse}, turning a bad input it finds into {@link Parsed.Bad}. */
    static <T> Parsed<T> parsing(Supplier<T> parse) {
        try {
            return new Parsed.Ok<>(parse.get());
        } catch (BadInput bad) {
            return bad.parsed();
        }
    }

    /** A page size (1 to {@link #MAX_LIMIT}; {@link #DEFAULT_LIMIT} when absent). */
    public static Parsed<Integer> limit(String input, String text) {
        return parsing(() -> limitOf(input, text));
    }

    /** A position in the log to page or follow from: 1 or more; with {@code zero}, 0 too (the start). */
    public static Parsed<Long> position(String input, String text, boolean zero) {
        return parsing(() -> positionOf(input, text, zero));
    }

    /** Blank is absent; otherwise the text without surrounding space. */
    public static String text(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    static int limitOf(String input, String text) {
        return text == null ? DEFAULT_LIMIT : (int) number(input, text, 1, MAX_LIMIT);
    }

    static Long positionOf(String input, String text, boolean zero) {
        return text == null ? null : number(input, text, zero ? 0 : 1, Long.MAX_VALUE);
    }

    private static long number(String input, String text, long min, long max) {
        try {
            long n = Long.parseLong(text.strip());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new BadInput(input, "'" + text + "' is not a number from " + min + " to " + max);
    }

    /** An instant, an offset date-time, or a date (UTC midnight). */
    static Instant timeOf(String input, String text) {
        if (text == null) {
            return null;
        }
        for (Function<String, Instant> form : TIME_PARSERS) {
            try {
                return form.apply(text);
            } catch (DateTimeParseException ignored) {
                // next form
            }
        }
        throw new BadInput(input, "'" + text + "' " + TIME_FORMS);
    }

    private static final List<Function<String, Instant>> TIME_PARSERS = List.of(
            Instant::parse,
            t -> OffsetDateTime.parse(t).toInstant(),
            t -> LocalDate.parse(t).atStartOfDay().toInstant(ZoneOffset.UTC));

    /** A look-up by name whose IllegalArgumentException (no such name, several) is a bad {@code input}. */
    static <T> T named(String input, Supplier<T> lookup) {
        try {
            return lookup.get();
        } catch (IllegalArgumentException e) {
            throw new BadInput(input, e.getMessage());
        }
    }
}
