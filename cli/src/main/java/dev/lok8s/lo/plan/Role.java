package dev.lok8s.lo.plan;

import com.fasterxml.jackson.annotation.JsonValue;

/** What a planned registry is for; also the value of the {@link Labels#ROLE} label. */
public enum Role {
    /** Project-private, push target for locally built images ({@code lok8s.local}). */
    BUILD,
    /** Project-private, push target for credentialed pre-pulled images ({@code lok8s.cache}). */
    CACHE,
    /** Read-only pull-through mirror of a public upstream. */
    MIRROR;

    @JsonValue
    public String label() {
        return EnumLabels.label(this);
    }

    /** The role a label names, as labels and read models store it; null for none or one this version does not know. */
    public static Role ofLabel(String label) {
        return EnumLabels.of(Role.class, label);
    }

    /** The label, so text that prints one reads as the JSON and the labels do. */
    @Override
    public String toString() {
        return label();
    }
}
