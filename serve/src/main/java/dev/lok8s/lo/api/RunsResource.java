package dev.lok8s.lo.api;

import dev.lok8s.lo.projection.Machines;
import dev.lok8s.lo.projection.RunDetail;
import dev.lok8s.lo.projection.RunHistory;
import dev.lok8s.lo.projection.RunSummary;
import dev.lok8s.lo.query.RunsRequest;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;

@Path("/api/runs")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "runs", description = "Runs of lo commands and their steps, as lo runs")
public class RunsResource {

    @Inject
    RunHistory runs;

    @Inject
    Machines machines;

    @GET
    @Operation(summary = "Runs newest first (as lo runs -o json)")
    public List<RunSummary> list(@Context UriInfo uri,
                                 @Parameter(description = "cluster domain") @QueryParam("domain") String domain,
                                 @Parameter(description = "1 to 10000 (default 50)") @QueryParam("limit") String limit,
                                 @Parameter(description = "machine: host name, machine id or a prefix of it") @QueryParam("host") String host) {
        Params.only(uri, "domain", "limit", "host");
        return new RunsRequest(domain, limit, host).parse(machines).orElseThrow(Params::bad).list(runs);
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One run with its steps (as lo runs show ID -o json); the id or a prefix of it")
    public RunDetail show(@Context UriInfo uri, @PathParam("id") String id) {
        Params.only(uri);
        try {
            return runs.show(id).orElseThrow(() -> new NotFoundProblemException(RunsRequest.noRunMatches(id)));
        } catch (IllegalArgumentException e) {
            throw new BadParameterException("id", e.getMessage());
        }
    }
}
