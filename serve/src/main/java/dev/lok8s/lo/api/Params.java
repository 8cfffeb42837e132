package dev.lok8s.lo.api;

import dev.lok8s.lo.query.Inputs;
import dev.lok8s.lo.query.Parsed;
import jakarta.ws.rs.core.UriInfo;

import java.util.Set;
import java.util.TreeSet;

/**
 * Query parameters arrive as text and are checked here, so a bad one is a 400 naming it (JAX-RS's
 * own conversion would answer 404). The rules are the command line's ({@link Inputs}).
 */
final class Params {

    private Params() {
    }

    /** Rejects query parameters the resource does not know, so a misspelt filter is not silently ignored. */
    static void only(UriInfo uri, String... known) {
        Set<String> allowed = Set.of(known);
        for (String name : new TreeSet<>(uri.getQueryParameters().keySet())) {
            if (!allowed.contains(name)) {
                throw new BadParameterException(name, "unknown query parameter"
                        + (known.length == 0 ? "; this resource takes none" : "; known: " + String.join(", ", known)));
            }
        }
    }

    /** A bad input, as the API answers it: 400 naming the parameter. */
    static BadParameterException bad(Parsed.Bad<?> bad) {
        return new BadParameterException(bad.input(), bad.detail());
    }

    static String text(String value) {
        return Inputs.text(value);
    }

    static int limit(String name, String value) {
        return Inputs.limit(name, value).orElseThrow(Params::bad);
    }

    static Long position(String name, String value) {
        return Inputs.position(name, value, false).orElseThrow(Params::bad);
    }

    /** A position from which to follow; 0 allowed (from the start of the log). */
    static Long nonNegative(String name, String value) {
        return Inputs.position(name, value, true).orElseThrow(Params::bad);
    }
}
