package dev.lok8s.lo.api;

import dev.lok8s.lo.cache.UsageReport;
import dev.lok8s.lo.cache.UsageService;
import dev.lok8s.lo.engine.ContainerEngine;
import dev.lok8s.lo.plan.RegistryPlan;
import dev.lok8s.lo.spec.ClusterSpec;
import dev.lok8s.lo.store.EventStore;
import io.vertx.core.http.HttpServerResponse;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code lo registry usage} over HTTP: the same report, in bytes, for the project whose spec is
 * {@code clusters/<domain>/cluster.lok8s.yaml} under {@code lo serve}'s project directory. Read-only:
 * warming is not exposed. The report has a deadline ({@link UsageService#DEADLINE}) and is cancelled
 * when the client closes the connection before it is ready.
 */
@Path("/api/registries/usage")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "registries", description = "Shared mirrors and per-project registries with their live state")
public class RegistryUsageResource {

    @Inject
    ServedProjects projects;

    @Inject
    EventStore store;

    @Inject
    ContainerEngine engine;

    @GET
    @Operation(summary = "Disk, repositories, tags and last pull of each registry of one project, as lo registry usage shows them")
    public UsageReport usage(@Context UriInfo uri, @Context HttpServerResponse response,
                             @QueryParam("domain") String domain) {
        Params.only(uri, "domain");
        String chosen = domain == null || domain.isBlank() ? ClusterSpec.DEFAULT_DOMAIN : domain;
        RegistryPlan plan = projects.plan(chosen);
        // bounded by the report's own deadline, and cancelled as soon as the client hangs up
        return WhileConnected.call(response, "registry-usage", () -> new UsageService(store, engine).report(plan));
    }
}
