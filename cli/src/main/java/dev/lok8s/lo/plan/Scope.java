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
        return EnumLabels.label(this);
    }

    /** The scope a label names, as labels and read models store it; null for none or one this version does not know. */
    public static Scope ofLabel(String label) {
        return EnumLabels.of(Scope.class, label);
    }

    /** The label, so text that prints one reads as the JSON and the labels do. */
    @Override
    public String toString() {
        return label();
    }
}
