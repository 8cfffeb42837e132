package dev.lok8s.lo.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lok8s.lo.events.EventCodec;
import dev.lok8s.lo.events.EventSummary;
import dev.lok8s.lo.projection.Machines;
import dev.lok8s.lo.projection.RunHistory;
import dev.lok8s.lo.store.EventStore;
import dev.lok8s.lo.spec.SafeText;
import dev.lok8s.lo.store.HistoryPage;
import dev.lok8s.lo.store.HistoryQuery;
import dev.lok8s.lo.store.StoreException;
import dev.lok8s.lo.store.StoredEvent;
import jakarta.inject.Inject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;

@Command(name = "history", description = "The audit log: every change lo made, newest first.")
public class HistoryCommand implements Callable<Integer> {

    @Mixin
    OutputOptions output;

    @Option(names = "--domain", paramLabel = "DOMAIN", description = "Only events of this cluster domain.")
    String domain;

    @Option(names = "--type", paramLabel = "TYPE", description = "Only events of this type, e.g. NetworkCreated.")
    String type;

    @Option(names = "--run", paramLabel = "ID", description = "Only events of this run (full id or a prefix).")
    String run;

    @Option(names = "--since", paramLabel = "TIME", description = "Only events at or after TIME (ISO-8601, e.g. 2026-11-27T18:00:00Z or 2026-11-27).")
    String since;

    @Option(names = "--until", paramLabel = "TIME", description = "Only events before TIME (ISO-8601).")
    String until;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "50", description = "At most N events (default: ${DEFAULT-VALUE}).")
    String limit;

    @Option(names = "--before", paramLabel = "POSITION", description = "Only events before this position (the next page).")
    String before;

    @Option(names = "--host", paramLabel = "HOST", description = "Only events of this machine: its host name (or a former one), its machine id or a prefix of it.")
    String host;

    @Inject
    Machines machines;

    @Inject
    EventStore store;

    @Inject
    RunHistory runs;

    @Override
    public Integer call() {
        HistoryQuery query;
        try {
            UUID runId = null;
            if (run != null) {
                runId = runs.resolve(run).orElse(null);
                if (runId == null) {
                    // a run that never reached the runs table may still have events: accept a full id
                    runId = parseUuid("--run", run);
                }
            }
            query = new HistoryQuery(blankToNull(domain), blankToNull(type), runId, time("--since", since),
                    time("--until", until), positiveInt("--limit", limit, 10_000),
                    before == null ? null : (long) positiveInt("--before", before, Integer.MAX_VALUE),
                    blankToNull(host) == null ? null : new HistoryQuery.MachineFilter(machines.resolve(host)));
        } catch (IllegalArgumentException e) {
            output.err().println("error: " + e.getMessage());
            return ExitCodes.INVALID;
        }
        try {
            HistoryPage page = store.query(query);
            if (output.json()) {
                output.printJson(json(page.events()));
            } else {
                page.events().forEach(e -> output.out().println(line(e)));
                output.out().flush();
            }
            if (page.next() != null) {
                output.err().println("next: lo history " + repeatArgs() + "--before " + page.next());
            }
            return ExitCodes.OK;
        } catch (StoreException e) {
            output.err().println("error: " + e.getMessage());
            return ExitCodes.FAILED;
        }
    }

    /**
     * {@code 2026-11-27T18:01:02Z  #42  lok8s.dev  NetworkCreated  lok8s 10.125.125.0/24  (run 1a2b3c4d)  on laptop-a}.
     * Events hold what users wrote: control characters are escaped and long values cut ({@link SafeText}).
     */
    static String line(StoredEvent e) {
        UUID runId = e.metadata() == null ? null : e.metadata().runId();
        String host = e.metadata() == null ? null : e.metadata().host();
        return SafeText.shown(DateTimeFormatter.ISO_INSTANT.format(e.recordedAt().truncatedTo(ChronoUnit.SECONDS))
                + "  #" + e.position()
                + "  " + (e.event().domain() == null ? "-" : e.event().domain())
                + "  " + e.eventType()
                + "  " + EventSummary.of(e.event())
                + (runId == null ? "" : "  (run " + runId.toString().substring(0, 8) + ")")
                + (host == null ? "" : "  on " + host));
    }

    static ArrayNode json(List<StoredEvent> events) {
        var mapper = OutputOptions.jsonMapper();
        ArrayNode array = mapper.createArrayNode();
        for (StoredEvent e : events) {
            ObjectNode o = array.addObject();
            o.put("position", e.position());
            o.put("eventId", e.eventId().toString());
            o.put("type", e.eventType());
            o.put("schemaVersion", e.schemaVersion());
            o.put("stream", e.streamId());
            o.put("version", e.streamVersion());
            o.put("recordedAt", DateTimeFormatter.ISO_INSTANT.format(e.recordedAt()));
            o.put("domain", e.event().domain());
            o.set("metadata", mapper.valueToTree(e.metadata()));
            o.set("payload", EventCodec.tree(e.payload()));
        }
        return array;
    }

    private String repeatArgs() {
        List<String> args = new ArrayList<>();
        if (domain != null) {
            args.add("--domain " + domain);
        }
        if (type != null) {
            args.add("--type " + type);
        }
        if (run != null) {
            args.add("--run " + run);
        }
        if (since != null) {
            args.add("--since " + since);
        }
        if (until != null) {
            args.add("--until " + until);
        }
        if (host != null) {
            args.add("--host " + host);
        }
        if (!"50".equals(limit)) {
            args.add("--limit " + limit);
        }
        if (output.json()) {
            args.add("-o json");
        }
        return args.isEmpty() ? "" : String.join(" ", args) + " ";
    }

    static Instant time(String option, String text) {
        if (text == null) {
            return null;
        }
        return HistoryQuery.parseTime(text).orElseThrow(() -> new IllegalArgumentException(option + ": '" + text
                + "' " + HistoryQuery.TIME_FORMS));
    }

    static int positiveInt(String option, String text, int max) {
        try {
            int n = Integer.parseInt(text.strip());
            if (n >= 1 && n <= max) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException(option + ": '" + text + "' is not a number from 1 to " + max);
    }

    static UUID parseUuid(String option, String text) {
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + ": no run matches '" + text + "'");
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
