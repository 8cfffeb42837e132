package dev.lok8s.lo.events;

import java.util.UUID;

/** How lo prints a run or machine id for people: its first 8 characters (commands take them as a prefix). */
public final class ShortId {

    private static final int LENGTH = 8;

    private ShortId() {
    }

    public static String of(UUID id) {
        return of(id.toString());
    }

    public static String of(String id) {
        return id.length() <= LENGTH ? id : id.substring(0, LENGTH);
    }
}
