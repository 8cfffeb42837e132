package dev.lok8s.lo.api;

import dev.lok8s.lo.projection.SubnetMismatchReport;
import dev.lok8s.lo.projection.SubnetMismatchReport.Detection;
import dev.lok8s.lo.projection.SubnetMismatchReport.Finding;
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

@Path("/api/mismatches")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "mismatches", description = "Subnet mismatches: current and historical")
public class MismatchesResource {

    /**
     * @param current    the open mismatches of this machine's projects, as the read models show them today
     *                   (SubnetMismatchReport.current, see docs/api.md)
     * @param historical SubnetMismatchDetected events, newest first
     * @param next       {@code before} for the next page of historical; null on the last
     */
    public record Mismatches(List<Finding> current, List<Detection> historical, Long next) {
    }

    @Inject
    SubnetMismatchReport report;

    @GET
    @Operation(summary = "Current mismatches and the history of detected ones")
    public Mismatches mismatches(@Context UriInfo uri,
                                 @Parameter(description = "only this domain (both lists)") @QueryParam("domain") String domain,
                                 @Parameter(description = "historical page size, 1 to 10000 (default 50)") @QueryParam("limit") String limit,
                                 @Parameter(description = "historical: only positions below this") @QueryParam("before") String before) {
        Params.only(uri, "domain", "limit", "before");
        String d = Params.text(domain);
        var historical = report.historical(d, Params.limit("limit", limit), Params.position("before", before));
        List<Finding> current = report.current().stream()
                .filter(f -> d == null || d.equals(f.domain())).toList();
        return new Mismatches(current, historical.detections(), historical.next());
    }
}
