package dev.lok8s.lo.plan;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * How a mirror serves: pulling through from its upstream, or, while the upstream does not answer,
 * serving the same volume read-only without the proxy (a distribution 2.x proxy does not start
 * while its upstream is unreachable). Also the value of the {@link Labels#MIRROR_MODE} label.
 */
public enum MirrorMode {
    /** Pull-through: what the cache lacks comes from the upstream. */
    PROXY,
    /** The upstream does not answer: the cache alone, read-only. */
    OFFLINE;

    @JsonValue
    public String label() {
        return EnumLabels.label(this);
    }

    /** The mode a label names; a mirror without the label (made before modes existed) proxies. */
    public static MirrorMode ofLabel(String label) {
        if (label == null) {
            return PROXY;
        }
        MirrorMode mode = EnumLabels.of(MirrorMode.class, label);
        return mode == null ? PROXY : mode;
    }

    @Override
    public String toString() {
        return label();
    }
}
