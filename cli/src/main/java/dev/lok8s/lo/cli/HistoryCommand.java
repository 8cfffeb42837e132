package dev.lok8s.lo.cli;

import dev.lok8s.lo.failure.Reason;
import dev.lok8s.lo.events.ShortId;
import dev.lok8s.lo.events.EventSummary;
import dev.lok8s.lo.projection.Machines;
import dev.lok8s.lo.projection.RunHistory;
import dev.lok8s.lo.query.EventView;
import dev.lok8s.lo.query.HistoryRequest;
import dev.lok8s.lo.query.Inputs;
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

    @Option(names = "--limit", paramLabel = "N", description = "At most N events (default: " + Inputs.DEFAULT_LIMIT + ", at most " + Inputs.MAX_LIMIT + ").")
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
        HistoryQuery query = new HistoryRequest(domain, type, run, since, until, limit, before, host)
                .parse(runs, machines).orElseThrow(CommandInputs::bad);
        try {
            HistoryPage page = store.query(query);
            if (output.json()) {
                output.printJson(json(page.events()));
            } else {
                page.events().forEach(e -> output.out().println(line(e)));
                output.out().flush();
            }
            if (page.next() != null) {
                // the options are echoed as typed: shown safely
                output.err().println(SafeText.shown("next: lo history " + repeatArgs() + "--before " + page.next()));
            }
            return ExitCodes.OK;
        } catch (StoreException e) {
            output.err().println(SafeText.lines(Reason.errorLine(e.getMessage())));
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
                + (runId == null ? "" : "  (run " + ShortId.of(runId) + ")")
                + (host == null ? "" : "  on " + host));
    }

    /** The events as {@code -o json} prints them: the API's view ({@link EventView}), the same objects. */
    public static List<EventView> json(List<StoredEvent> events) {
        return events.stream().map(EventView::of).toList();
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
        if (limit != null) {
            args.add("--limit " + limit);
        }
        if (output.json()) {
            args.add("-o json");
        }
        return args.isEmpty() ? "" : String.join(" ", args) + " ";
    }
}
