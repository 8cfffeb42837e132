package dev.lok8s.lo.store;

import java.util.Locale;
import java.util.OptionalLong;

/**
 * Whether this process's close of the H2 file compacts it, decided when the process opens the file.
 * H2 compacts at every close for up to {@code MAX_COMPACT_TIME} (200 ms), also after a command that
 * wrote nothing; never compacting lets the file grow by each command's chunks (80-100 KiB a re-run).
 * So a command compacts only when the file has grown by more than {@link #GROWTH} since the last
 * close that compacted it (its size then is recorded beside the store, {@link H2Store#compactedSize}),
 * when no such size is recorded, or when the file is smaller than recorded (another file, or another
 * process compacted it): the space lost to old chunks stays below {@link #GROWTH} plus one command's
 * writes, whatever the store's size. {@code lo serve} compacts at every close, as H2 does by default
 * ({@link Mode#EVERY_CLOSE}).
 */
public final class CompactionRule {

    /** How much the file may grow between two compacting closes. */
    public static final long GROWTH = 1024 * 1024;

    /**
     * Up to this size a compacting close rewrites the file with its live pages only (H2's
     * {@code SHUTDOWN COMPACT}: a new file, renamed over the old one); a larger file gets H2's timed
     * compaction ({@code MAX_COMPACT_TIME}'s 200 ms), which moves what it can in that time. The timed
     * one, made only every 1 MiB, leaves a few hundred KiB more each time (the file crept from 128
     * KiB to 2 MiB in 60 re-runs); a full rewrite of a small file costs about as much as one timed one.
     */
    public static final long FULL_REWRITE_UP_TO = 64L * 1024 * 1024;

    /** What this process's close does to the file. */
    public enum Close {
        /** Nothing ({@code MAX_COMPACT_TIME=0}). */
        KEEP,
        /** H2's timed compaction (its default). */
        COMPACT,
        /** The file rewritten with its live pages only ({@code MAX_COMPACT_TIME=-1}). */
        REWRITE
    }

    /** The setting {@code lo.store.compaction}. */
    public enum Mode {
        /** Compact when the file has grown past the rule (the command line). */
        WHEN_GROWN,
        /** H2's own default: compact at every close (lo serve). */
        EVERY_CLOSE;

        /**
         * @throws IllegalArgumentException naming the setting and its values
         */
        public static Mode of(String text) {
            String t = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
            return switch (t) {
                case "when-grown" -> WHEN_GROWN;
                case "every-close" -> EVERY_CLOSE;
                default -> throw new IllegalArgumentException("lo.store.compaction (LO_STORE_COMPACTION): '"
                        + t.codePoints().limit(40).collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
                        + "' is not a mode: use when-grown or every-close");
            };
        }
    }

    private CompactionRule() {
    }

    /**
     * @param sizeNow  the file's size when this process opens it
     * @param recorded the size the last compacting close left, if known
     * @return what this process's close does to the file
     */
    public static Close atClose(Mode mode, long sizeNow, OptionalLong recorded) {
        if (mode == Mode.EVERY_CLOSE) {
            return Close.COMPACT;
        }
        if (!compactAtClose(mode, sizeNow, recorded)) {
            return Close.KEEP;
        }
        return sizeNow <= FULL_REWRITE_UP_TO ? Close.REWRITE : Close.COMPACT;
    }

    /**
     * @param sizeNow  the file's size when this process opens it
     * @param recorded the size the last compacting close left, if known
     * @return whether this process's close compacts the file
     */
    static boolean compactAtClose(Mode mode, long sizeNow, OptionalLong recorded) {
        if (mode == Mode.EVERY_CLOSE || recorded.isEmpty()) {
            return true;
        }
        long last = recorded.getAsLong();
        return sizeNow < last || sizeNow - last > GROWTH;
    }
}
