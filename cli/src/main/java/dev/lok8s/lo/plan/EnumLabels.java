package dev.lok8s.lo.plan;

import java.util.Locale;

/** The labels of {@link Role} and {@link Scope}: a constant's lower-case name, in labels, read models and JSON. */
final class EnumLabels {

    private EnumLabels() {
    }

    static String label(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    /** The constant with that label; null for none or one this version does not know. */
    static <E extends Enum<E>> E of(Class<E> type, String label) {
        for (E value : type.getEnumConstants()) {
            if (label(value).equals(label)) {
                return value;
            }
        }
        return null;
    }
}
