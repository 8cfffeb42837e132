package dev.lok8s.lo.plan;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Immutable copies that keep insertion order ({@code Map.copyOf} does not), so JSON and hashes are stable. */
final class Ordered {

    private Ordered() {
    }

    static Map<String, String> copy(Map<String, String> map) {
        return Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }
}
