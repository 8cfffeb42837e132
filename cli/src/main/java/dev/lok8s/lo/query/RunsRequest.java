package dev.lok8s.lo.query;

import dev.lok8s.lo.projection.Machines;
import dev.lok8s.lo.projection.RunHistory;
import dev.lok8s.lo.projection.RunSummary;

import java.util.List;

/** {@code lo runs} and {@code GET /api/runs} as the user typed them (null: absent). */
public record RunsRequest(String domain, String limit, String host) {

    /**
     * @param machineIds only runs of these machines; null: every machine
     */
    public record Query(String domain, List<String> machineIds, int limit) {

        /** Runs newest first. */
        public List<RunSummary> list(RunHistory runs) {
            return runs.list(domain, machineIds, limit);
        }
    }

    public Parsed<Query> parse(Machines machines) {
        return Inputs.parsing(() -> new Query(Inputs.text(domain), Inputs.text(host) == null ? null
                : Inputs.named("host", () -> machines.resolve(Inputs.text(host))), Inputs.limitOf("limit", limit)));
    }

    /** What {@code lo runs show} and {@code GET /api/runs/ID} say about an id or prefix that names no run. */
    public static String noRunMatches(String idOrPrefix) {
        return "no run matches '" + idOrPrefix + "'";
    }
}
