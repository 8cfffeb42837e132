package dev.lok8s.lo.api;

import dev.lok8s.lo.projection.Machines;
import dev.lok8s.lo.projection.RunHistory;
import dev.lok8s.lo.query.EventView;
import dev.lok8s.lo.query.HistoryRequest;
import dev.lok8s.lo.store.EventStore;
import dev.lok8s.lo.store.HistoryPage;
import dev.lok8s.lo.store.HistoryQuery;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;

@Path("/api/history")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "history", description = "The audit log, as lo history")
public class HistoryResource {

    /** @param next pass as {@code before} for the next (older) page; null on the last page */
    public record Page(List<EventView> events, Long next) {
    }

    @Inject
    EventStore store;

    @Inject
    RunHistory runs;

    @Inject
    Machines machines;

    @GET
    @Operation(summary = "Events newest first, filtered as lo history; page with ?before=<next>")
    public Page history(@Context UriInfo uri,
                        @Parameter(description = "cluster domain") @QueryParam("domain") String domain,
                        @Parameter(description = "event type, e.g. NetworkCreated") @QueryParam("type") String type,
                        @Parameter(description = "run id or a prefix of it") @QueryParam("run") String run,
                        @Parameter(description = "ISO-8601 time or date, inclusive") @QueryParam("since") String since,
                        @Parameter(description = "ISO-8601 time or date, exclusive") @QueryParam("until") String until,
                        @Parameter(description = "page size, 1 to 10000 (default 50)") @QueryParam("limit") String limit,
                        @Parameter(description = "only positions below this (the previous page's next)") @QueryParam("before") String before,
                        @Parameter(description = "machine: host name, machine id or a prefix of it") @QueryParam("host") String host) {
        Params.only(uri, "domain", "type", "run", "since", "until", "limit", "before", "host");
        HistoryQuery query = new HistoryRequest(domain, type, run, since, until, limit, before, host)
                .parse(runs, machines).orElseThrow(Params::bad);
        HistoryPage page = store.query(query);
        return new Page(page.events().stream().map(EventView::of).toList(), page.next());
    }
}
