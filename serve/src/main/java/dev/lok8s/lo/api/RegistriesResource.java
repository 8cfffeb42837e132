package dev.lok8s.lo.api;

import dev.lok8s.lo.config.LoConfig;
import dev.lok8s.lo.config.ProjectLoader;
import dev.lok8s.lo.engine.ContainerEngine;
import dev.lok8s.lo.engine.EngineUnavailableException;
import dev.lok8s.lo.plan.RegistryPlan;
import dev.lok8s.lo.spec.ClusterSpec;
import dev.lok8s.lo.spec.SpecInvalidException;
import dev.lok8s.lo.status.RegistryStatusReport;
import dev.lok8s.lo.status.RegistryStatusService;
import dev.lok8s.lo.store.EventStore;
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
import org.jboss.logging.Logger;


/**
 * {@code lo registry status} over HTTP: the same report object, for the project whose spec is
 * {@code clusters/<domain>/cluster.lok8s.yaml} under the directory {@code lo serve} runs in (or
 * {@code lo.serve.project-dir}).
 */
@Path("/api/registries")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "registries", description = "Shared mirrors and per-project registries with their live state")
public class RegistriesResource {

    private static final Logger LOG = Logger.getLogger(RegistriesResource.class);

    @Inject
    LoConfig config;

    @Inject
    EventStore store;

    @Inject
    ContainerEngine engine;

    @GET
    @Operation(summary = "Registries of one project and the shared mirrors it uses, as lo registry status shows them")
    public RegistryStatusReport registries(@Context UriInfo uri, @QueryParam("domain") String domain) {
        Params.only(uri, "domain");
        String chosen = domain == null || domain.isBlank() ? ClusterSpec.DEFAULT_DOMAIN : domain;
        RegistryPlan plan = plan(chosen);
        try {
            return RegistryStatusService.forPlan(plan, store, engine, LOG::warn).report(plan);
        } catch (EngineUnavailableException e) {
            throw new EngineUnavailableProblem(e.getMessage());
        }
    }

    private RegistryPlan plan(String domain) {
        try {
            java.nio.file.Path root = java.nio.file.Path.of(config.serve().projectDir().orElse("")).toAbsolutePath();
            return ProjectLoader.load(root, domain, null, config).plan();
        } catch (SpecInvalidException e) {
            throw new BadParameterException("domain", e.getMessage().lines().findFirst().orElse("invalid spec"));
        }
    }

    /** The Docker Engine did not answer: 503, the endpoint named. */
    static final class EngineUnavailableProblem extends RuntimeException {
        EngineUnavailableProblem(String message) {
            super(message);
        }
    }
}
