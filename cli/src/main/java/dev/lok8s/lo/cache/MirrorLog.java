package dev.lok8s.lo.cache;

import dev.lok8s.lo.events.MirrorLogRead;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a pull-through mirror served, from its output as the engine keeps it with a timestamp before
 * each line: the newest pull of each image, and its blob requests told apart as hits and misses.
 *
 * <p>How a miss is told from a hit: a distribution 2.8 mirror that fetches a blob or manifest from
 * its upstream stores it and logs {@code Adding new scheduler entry for REPOSITORY@DIGEST with ttl=...}
 * (the entry that would expire it); a blob served from its storage logs no such line. So a blob
 * request answered 2xx is a miss when the mirror logged a scheduler entry for the same repository and
 * digest next to it (before or after: the entry is written when the copy is stored, which may finish
 * either side of the access-log line), and a hit otherwise. Limits: two clients asking for the same
 * missing blob at once are one miss and one hit (the mirror fetches for both but logs one entry); an
 * entry whose request lies in an earlier read is not paired (the request stays a hit); a mirror of
 * another make or version that logs differently shows every request as a hit.
 *
 * <p>Bounded like {@link AccessLog}: each line scanned once, lines longer than
 * {@link AccessLog#MAX_LINE_CHARS} skipped, at most {@link AccessLog#MAX_LINES} lines and a deadline
 * per read, at most {@link #MAX_IMAGES} images and {@link #MAX_TRAFFIC} hour-and-client rows (the
 * newest kept).
 */
public final class MirrorLog {

    public static final int MAX_IMAGES = 500;
    public static final int MAX_TRAFFIC = 500;
    /** A scheduler entry pairs with a request at most this far apart in the log's own time. */
    static final Duration PAIRING_WINDOW = Duration.ofMinutes(10);

    private static final String ENTRY = "msg=\"Adding new scheduler entry for ";
    private static final String WITH_TTL = " with ttl=";

    /**
     * One read.
     *
     * @param until the timestamp of the last line read, or the {@code after} given when no line was new
     * @param lines lines newer than {@code after} that were read
     */
    public record Summary(Instant until, List<MirrorLogRead.Pulled> images, List<MirrorLogRead.Traffic> traffic,
                          int lines, int skipped, boolean cut) {
        public Summary {
            images = List.copyOf(images);
            traffic = List.copyOf(traffic);
        }

        public boolean empty() {
            return lines == 0;
        }
    }

    private MirrorLog() {
    }

    /** Reads the lines stamped after {@code after} (all when null). */
    public static Summary read(String log, Instant after, Duration deadline) {
        long stopAt = System.nanoTime() + deadline.toNanos();
        Map<String, MutablePull> pulls = new LinkedHashMap<>();
        List<BlobGet> gets = new ArrayList<>();
        Map<String, Integer> unpairedGet = new HashMap<>();          // repo@digest -> index in gets
        Map<String, List<Instant>> pendingEntries = new HashMap<>();  // entries before their request
        Instant until = after;
        int lines = 0;
        int skipped = 0;
        boolean cut = false;
        int start = 0;
        int length = log.length();
        while (start < length) {
            if (lines == AccessLog.MAX_LINES || System.nanoTime() - stopAt > 0) {
                cut = true;
                break;
            }
            int end = log.indexOf('\n', start);
            if (end < 0) {
                end = length;
            }
            int lineStart = start;
            start = end + 1;
            if (end - lineStart > AccessLog.MAX_LINE_CHARS + 40) {
                skipped++;
                continue;
            }
            int space = log.indexOf(' ', lineStart);
            if (space < 0 || space > end || space - lineStart > 40) {
                skipped++;
                continue;
            }
            Instant stamp;
            try {
                stamp = Instant.parse(log.substring(lineStart, space));
            } catch (DateTimeParseException e) {
                skipped++;
                continue;
            }
            if (after != null && !stamp.isAfter(after)) {
                continue;
            }
            lines++;
            until = stamp;
            String line = log.substring(space + 1, end);
            String entry = schedulerEntry(line);
            if (entry != null) {
                Integer index = unpairedGet.remove(entry);
                if (index != null && !gets.get(index).at().isBefore(stamp.minus(PAIRING_WINDOW))) {
                    gets.get(index).miss = true;
                } else {
                    pendingEntries.computeIfAbsent(entry, k -> new ArrayList<>()).add(stamp);
                    if (pendingEntries.size() > 10_000) {
                        pendingEntries.clear();  // manifests' entries never pair; do not let them pile up
                    }
                }
                continue;
            }
            AccessLog.Request request = AccessLog.parseLine(line);
            if (request == null) {
                if (line.startsWith("time=")) {
                    continue;  // the registry's own messages
                }
                skipped++;
                continue;
            }
            if (!request.served()) {
                continue;
            }
            switch (request.target()) {
                case MANIFEST -> pulls.computeIfAbsent(request.repository() + "\n" + request.reference(),
                        k -> new MutablePull(request.repository(), request.reference())).add(request.at());
                case BLOB -> {
                    String key = request.repository() + "@" + request.reference();
                    BlobGet get = new BlobGet(request.at(), request.client(), request.bytes());
                    List<Instant> pending = pendingEntries.get(key);
                    if (pending != null) {
                        Instant entryAt = pending.removeFirst();
                        if (pending.isEmpty()) {
                            pendingEntries.remove(key);
                        }
                        get.miss = !entryAt.isBefore(stamp.minus(PAIRING_WINDOW));
                    }
                    gets.add(get);
                    if (!get.miss) {
                        unpairedGet.put(key, gets.size() - 1);
                    }
                }
                case OTHER -> {
                }
            }
        }
        return new Summary(until, images(pulls), traffic(gets), lines, skipped, cut);
    }

    /** {@code REPOSITORY@DIGEST} of a scheduler-entry line, or null. */
    static String schedulerEntry(String line) {
        int at = line.indexOf(ENTRY);
        if (at < 0) {
            return null;
        }
        int from = at + ENTRY.length();
        int to = line.indexOf(WITH_TTL, from);
        if (to < 0 || line.indexOf('@', from) < 0 || line.indexOf('@', from) > to) {
            return null;
        }
        return line.substring(from, to);
    }

    private static List<MirrorLogRead.Pulled> images(Map<String, MutablePull> pulls) {
        return pulls.values().stream()
                .sorted(Comparator.comparing((MutablePull p) -> p.last).reversed())
                .limit(MAX_IMAGES)
                .map(p -> new MirrorLogRead.Pulled(p.repository, p.reference, p.last, p.count))
                .toList();
    }

    private static List<MirrorLogRead.Traffic> traffic(List<BlobGet> gets) {
        Map<String, long[]> rows = new LinkedHashMap<>();
        Map<String, Instant> hours = new HashMap<>();
        Map<String, String> clients = new HashMap<>();
        for (BlobGet get : gets) {
            Instant hour = get.at().truncatedTo(ChronoUnit.HOURS);
            String key = hour + " " + get.client();
            hours.put(key, hour);
            clients.put(key, get.client());
            long[] row = rows.computeIfAbsent(key, k -> new long[4]);
            row[get.miss ? 1 : 0]++;
            row[get.miss ? 3 : 2] += get.bytes();
        }
        return rows.entrySet().stream()
                .sorted(Map.Entry.<String, long[]>comparingByKey().reversed())
                .limit(MAX_TRAFFIC)
                .map(e -> new MirrorLogRead.Traffic(hours.get(e.getKey()), clients.get(e.getKey()),
                        (int) e.getValue()[0], (int) e.getValue()[1], e.getValue()[2], e.getValue()[3]))
                .sorted(Comparator.comparing(MirrorLogRead.Traffic::hour).thenComparing(MirrorLogRead.Traffic::client))
                .toList();
    }

    private static final class MutablePull {
        final String repository;
        final String reference;
        Instant last;
        int count;

        MutablePull(String repository, String reference) {
            this.repository = repository;
            this.reference = reference;
        }

        void add(Instant at) {
            count++;
            if (last == null || at.isAfter(last)) {
                last = at;
            }
        }
    }

    private static final class BlobGet {
        private final Instant at;
        private final String client;
        private final long bytes;
        boolean miss;

        BlobGet(Instant at, String client, long bytes) {
            this.at = at;
            this.client = client;
            this.bytes = bytes;
        }

        Instant at() {
            return at;
        }

        String client() {
            return client;
        }

        long bytes() {
            return bytes;
        }
    }
}
