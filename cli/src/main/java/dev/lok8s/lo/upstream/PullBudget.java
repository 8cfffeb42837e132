package dev.lok8s.lo.upstream;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.lok8s.lo.failure.Reason;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The pulls a mirror's upstream says the mirror has left, from the {@code ratelimit-limit} and
 * {@code ratelimit-remaining} headers of a manifest HEAD (Docker Hub's; any upstream that sends them).
 * An observation, not a change: never recorded as an event. Parsing and the warning rule are pure.
 *
 * @param state         {@code reported}, {@code not-reported} (the upstream sent no such headers) or
 *                      {@code unknown} (it could not be asked, or sent headers lo cannot read)
 * @param limit         pulls allowed per window; null unless reported
 * @param remaining     pulls left in the current window; null unless reported
 * @param windowSeconds the window's length ({@code w=}); null when reported without one
 * @param user          the user whose budget it is (the mirror's login); null for an anonymous mirror
 * @param reason        why it is unknown; null otherwise
 * @param upstream      the upstream asked, {@code host[:port]}
 */
@JsonPropertyOrder({"state", "limit", "remaining", "windowSeconds", "low", "upstream", "user", "reason", "warning"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PullBudget(State state, Long limit, Long remaining, Long windowSeconds, String user, String reason,
                         String upstream) {

    /** The most pulls a window can count that lo accepts; larger figures are not believed. */
    static final long MAX_COUNT = 1_000_000_000L;
    /** The longest window lo accepts: a year, in seconds. */
    static final long MAX_WINDOW_SECONDS = 366L * 24 * 3600;
    /** A header value longer than this is not read. */
    static final int MAX_HEADER_LENGTH = 256;
    /** Below this share of the limit (in per cent) the budget is low. */
    static final int LOW_PERCENT = 10;

    private static final Pattern COUNT = Pattern.compile("[0-9]{1,10}");
    private static final Pattern WINDOW = Pattern.compile("w=([0-9]{1,10})");

    public enum State {
        REPORTED, NOT_REPORTED, UNKNOWN;

        @JsonValue
        public String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        @Override
        public String toString() {
            return label();
        }
    }

    /** One header's value: a count and, when given, its window in seconds. */
    record Quota(long count, Long windowSeconds) {
    }

    public PullBudget {
        if (state == State.REPORTED && (limit == null || remaining == null)) {
            throw new IllegalArgumentException("a reported budget has a limit and a remaining count");
        }
    }

    public PullBudget(State state, Long limit, Long remaining, Long windowSeconds, String user, String reason) {
        this(state, limit, remaining, windowSeconds, user, reason, null);
    }

    /** The same budget, naming the upstream it came from. */
    public PullBudget from(String upstreamHost) {
        return new PullBudget(state, limit, remaining, windowSeconds, user, reason, upstreamHost);
    }

    public static PullBudget unknown(String reason, String user) {
        return new PullBudget(State.UNKNOWN, null, null, null, user, reason);
    }

    public static PullBudget notReported(String user) {
        return new PullBudget(State.NOT_REPORTED, null, null, null, user, null);
    }

    /**
     * The budget from the two headers' values (empty when the upstream did not send one). Both absent: not
     * reported. One absent, a value that is not {@code <count>[;w=<seconds>][;...]} within bounds, a limit of 0
     * or more remaining than the limit: unknown, with the reason (never the value itself, which is the
     * upstream's text).
     */
    public static PullBudget fromHeaders(Optional<String> limitHeader, Optional<String> remainingHeader, String user) {
        if (limitHeader.isEmpty() && remainingHeader.isEmpty()) {
            return notReported(user);
        }
        if (limitHeader.isEmpty() || remainingHeader.isEmpty()) {
            return unknown("the upstream sent " + (limitHeader.isEmpty() ? "ratelimit-remaining without ratelimit-limit"
                    : "ratelimit-limit without ratelimit-remaining"), user);
        }
        Quota limit = parse(limitHeader.get());
        Quota remaining = parse(remainingHeader.get());
        if (limit == null || remaining == null) {
            return unknown("the upstream's " + (limit == null ? "ratelimit-limit" : "ratelimit-remaining")
                    + " is not a count with an optional ;w=<seconds> window", user);
        }
        if (limit.count() == 0) {
            return unknown("the upstream reports a limit of 0 pulls", user);
        }
        if (remaining.count() > limit.count()) {
            return unknown("the upstream reports more pulls remaining (" + remaining.count() + ") than its limit ("
                    + limit.count() + ")", user);
        }
        Long window = limit.windowSeconds() != null ? limit.windowSeconds() : remaining.windowSeconds();
        return new PullBudget(State.REPORTED, limit.count(), remaining.count(), window, user, null);
    }

    /**
     * A RateLimit header value: its first policy ({@code 100;w=21600}, before any comma), the count and the
     * {@code w} parameter; other parameters are ignored. Null when it is not of that form or out of bounds.
     */
    static Quota parse(String value) {
        if (value == null || value.length() > MAX_HEADER_LENGTH) {
            return null;
        }
        String first = value.split(",", 2)[0];
        String[] parts = first.split(";", -1);
        String count = parts[0].strip();
        if (!COUNT.matcher(count).matches()) {
            return null;
        }
        long n = Long.parseLong(count);
        if (n > MAX_COUNT) {
            return null;
        }
        Long window = null;
        for (int i = 1; i < parts.length; i++) {
            String parameter = parts[i].strip().toLowerCase(Locale.ROOT);
            if (!parameter.startsWith("w=")) {
                continue;
            }
            var m = WINDOW.matcher(parameter);
            if (!m.matches() || window != null) {
                return null;
            }
            long seconds = Long.parseLong(m.group(1));
            if (seconds < 1 || seconds > MAX_WINDOW_SECONDS) {
                return null;
            }
            window = seconds;
        }
        return new Quota(n, window);
    }

    /** Fewer than {@value #LOW_PERCENT} % of the limit left. */
    public boolean low() {
        return state == State.REPORTED && remaining * 100 < limit * LOW_PERCENT;
    }

    /** For JSON: whether {@link #low()}; absent unless reported. */
    @JsonProperty("low")
    Boolean lowField() {
        return state == State.REPORTED ? low() : null;
    }

    /** The window as people read it: {@code 6h}, {@code 90m}, {@code 45s}; null without one. */
    public String window() {
        if (windowSeconds == null) {
            return null;
        }
        long s = windowSeconds;
        return s % 3600 == 0 ? s / 3600 + "h" : s % 60 == 0 ? s / 60 + "m" : s + "s";
    }

    /** One line: {@code 76 of 100 pulls left (per 6h, anonymous)}, or why there is none. */
    public String summary() {
        String who = user == null ? "anonymous" : "as " + user;
        return switch (state) {
            case REPORTED -> remaining + " of " + limit + " pulls left (" + (window() == null ? "" : "per " + window()
                    + ", ") + who + ")";
            case NOT_REPORTED -> "not reported by the upstream";
            case UNKNOWN -> "unknown: " + reason;
        };
    }

    /**
     * The warning when the budget is {@link #low()}: what is left and what to do (log in for a larger budget,
     * or wait for the window); null otherwise.
     */
    @JsonProperty("warning")
    public Reason warning() {
        if (!low()) {
            return null;
        }
        String wait = window() == null ? "wait until the upstream's window passes"
                : "wait for the upstream's " + window() + " window to pass";
        String fix = user == null
                ? "docker login (a logged-in account gets a larger budget), then lo registry up; or " + wait
                : wait + ", or docker login with an account that has a larger budget, then lo registry up";
        return Reason.of(remaining + " of " + limit + " pulls left at the upstream"
                + (window() == null ? "" : " (per " + window() + ")") + ", below " + LOW_PERCENT + " % of its limit",
                fix);
    }
}
