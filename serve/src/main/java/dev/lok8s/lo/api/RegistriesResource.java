package dev.lok8s.lo.api;

import dev.lok8s.lo.engine.ContainerEngine;
import dev.lok8s.lo.plan.RegistryPlan;
import dev.lok8s.lo.status.RecordedRegistryStatus;
import dev.lok8s.lo.status.RegistryStatusReport;
import dev.lok8s.lo.status.RegistryStatusService;
import dev.lok8s.lo.store.EventStore;
import dev.lok8s.lo.tls.MkcertAuthority;
import dev.lok8s.lo.tls.TlsPrerequisiteException;
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

import java.util.Optional;


/**
 * {@code lo registry status} over HTTP, answered from the event log and the engine, wherever
 * {@code lo serve} runs: without {@code domain} a report for every project the log records, with
 * one that project's report. A domain the log does not know yet (never provisioned) falls back to
 * its spec, {@code clusters/<domain>/cluster.lok8s.yaml} under {@code lo.serve.project-dir} (default:
 * the directory {@code lo serve} runs in).
 */
@Path("/api/registries")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "registries", description = "Shared mirrors and per-project registries with their live state")
public class RegistriesResource {

    private static final Logger LOG = Logger.getLogger(RegistriesResource.class);

    @Inject
    ServedProjects projects;

    @Inject
    EventStore store;

    @Inject
    ContainerEngine engine;

    @GET
    @Operation(summary = "Registries as lo registry status shows them: without domain, a list with one report per"
            + " project the log records; with domain, that project's report")
    public Object registries(@Context UriInfo uri, @QueryParam("domain") String domain) {
        Params.only(uri, "domain");
        RecordedRegistryStatus recorded = new RecordedRegistryStatus(store, engine, RegistriesResource::mkcertCa);
        if (domain == null || domain.isBlank()) {
            return recorded.all();
        }
        Optional<RegistryStatusReport> fromLog = recorded.forDomain(domain);
        if (fromLog.isPresent()) {
            return fromLog.get();
        }
        RegistryPlan plan = projects.plan(domain);
        return RegistryStatusService.forPlan(plan, store, engine, LOG::warn).report(plan);
    }

    /** mkcert's CA for probing TLS registries; null (the JDK's trust store) when it cannot be read. */
    static String mkcertCa() {
        try {
            return new MkcertAuthority(System.getenv()).check().certificatePem();
        } catch (TlsPrerequisiteException e) {
            LOG.warn("cannot read mkcert's CA, TLS registries are probed with the JDK's trust store: " + e.getMessage());
            return null;
        }
    }
}
