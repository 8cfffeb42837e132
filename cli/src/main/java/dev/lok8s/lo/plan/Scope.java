package dev.lok8s.lo.plan;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Who a resource serves: one project, or every project on the machine. Shared resources carry
 * no project label and are left alone when a single project is cleaned.
 */
public enum Scope {
    PROJECT,
    SHARED;

    @JsonValue
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
