package dev.lok8s.lo.query;

import dev.lok8s.lo.projection.Machines;
import dev.lok8s.lo.projection.RunHistory;
import dev.lok8s.lo.store.HistoryQuery;

import java.util.UUID;

/**
 * {@code lo history} and {@code GET /api/history} as the user typed them; every field is the raw text
 * of its option or parameter (null when absent).
 */
public record HistoryRequest(String domain, String type, String run, String since, String until, String limit,
                             String before, String host) {

    /**
     * The query these filters ask for, or the first bad one. A run is named by its id or a prefix of it
     * ({@link RunHistory#resolve}); a full id is accepted for a run that never reached the runs table
     * but may have events. A machine is named by a host name or a machine id or a prefix of it.
     */
    public Parsed<HistoryQuery> parse(RunHistory runs, Machines machines) {
        return Inputs.parsing(() -> new HistoryQuery(Inputs.text(domain), Inputs.text(type), runId(runs),
                Inputs.timeOf("since", Inputs.text(since)), Inputs.timeOf("until", Inputs.text(until)),
                Inputs.limitOf("limit", limit), Inputs.positionOf("before", before, false),
                Inputs.text(host) == null ? null
                        : new HistoryQuery.MachineFilter(Inputs.named("host", () -> machines.resolve(Inputs.text(host))))));
    }

    private UUID runId(RunHistory runs) {
        String text = Inputs.text(run);
        if (text == null) {
            return null;
        }
        return Inputs.named("run", () -> runs.resolve(text)).orElseGet(() -> {
            try {
                return UUID.fromString(text);
            } catch (IllegalArgumentException e) {
                throw new BadInput("run", RunsRequest.noRunMatches(text));
            }
        });
    }
}
