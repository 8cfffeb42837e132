package dev.lok8s.lo.reconcile;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/** What an action does to one resource; {@link #UNCHANGED}, {@link #ADOPT} and {@link #REFUSE} change nothing on the machine. */
public enum Verb {
    /** The resource is absent: make it. */
    CREATE,
    /** It exists as planned but the log does not record it for this project: record it, change nothing. */
    ADOPT,
    /** It exists as planned and the log knows it. */
    UNCHANGED,
    /** It exists as planned but is stopped: start it. */
    START,
    /** It exists but differs from the plan: remove it and make it again. */
    REPLACE,
    /** Teardown: stop it, keep it. */
    STOP,
    /** Teardown: take a container off a network. */
    DISCONNECT,
    /** Teardown: remove it. */
    REMOVE,
    /** A precondition does not hold: the run stops before this step changes anything. */
    REFUSE;

    @JsonValue
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}
