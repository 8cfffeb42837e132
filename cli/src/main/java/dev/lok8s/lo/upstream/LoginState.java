package dev.lok8s.lo.upstream;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/** What lo knows of a mirror's login to its upstream, as status and doctor report it. */
public enum LoginState {
    /** No login in the Docker configuration, and the upstream (its token service) gives tokens without one. */
    ANONYMOUS,
    /** The mirror logs in with the login the Docker configuration holds. */
    USED,
    /** The upstream asks for a login the Docker configuration does not have. */
    MISSING,
    /** The upstream refuses the login the Docker configuration holds. */
    REFUSED,
    /** The upstream asks for an HTTP Basic login, which a pull-through mirror cannot send. */
    UNSUPPORTED,
    /** The Docker configuration holds an identity token, which a distribution mirror cannot use. */
    UNUSABLE,
    /** The Docker configuration or its credential helper could not be read. */
    UNREADABLE;

    @JsonValue
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return label();
    }
}
