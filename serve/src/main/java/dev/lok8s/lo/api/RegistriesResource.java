package dev.lok8s.lo.api;

import dev.lok8s.lo.engine.ContainerEngine;
import dev.lok8s.lo.plan.RegistryPlan;
import dev.lok8s.lo.status.RecordedRegistryStatus;
import dev.lok8s.lo.status.RegistryStatusReport;
import dev.lok8s.lo.status.RegistryStatusService;
import dev.lok8s.lo.store.EventStore;
import dev.lok8s.lo.tls.MkcertAuthority;
import dev.lok8s.lo.tls.TlsPrerequisiteException;
import dev.lok8s.lo.upstream.MirrorUpstreams;
import dev.lok8s.lo.upstream.PullBudget;
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

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

    @Inject
    MirrorUpstreams upstreams;

    @Inject
    ServedPullBudgets served;

    @GET
    @Operation(summary = "Registries as lo registry status shows them: without domain, a list with one report per"
            + " project the log records; with domain, that project's report")
    public Object registries(@Context UriInfo uri, @QueryParam("domain") String domain) {
        Params.only(uri, "domain");
        RecordedRegistryStatus recorded = new RecordedRegistryStatus(store, engine, RegistriesResource::mkcertCa);
        if (domain == null || domain.isBlank()) {
            return withPullBudgets(recorded.all());
        }
        Optional<RegistryStatusReport> fromLog = recorded.forDomain(domain);
        if (fromLog.isPresent()) {
            return withPullBudgets(List.of(fromLog.get())).getFirst();
        }
        RegistryPlan plan = projects.plan(domain);
        RegistryStatusReport report = RegistryStatusService.forPlan(plan, store, engine, LOG::warn).report(plan);
        return withPullBudgets(List.of(report)).getFirst();
    }

    /**
     * The reports with the pull budget of each running mirror (a mirror that does not run is not asked on the
     * service's behalf), every mirror asked once, side by side, as {@link ServedPullBudgets} keeps them.
     */
    private List<RegistryStatusReport> withPullBudgets(List<RegistryStatusReport> reports) {
        Map<String, String> mirrors = new LinkedHashMap<>();
        reports.forEach(report -> report.all().stream().filter(r -> r.upstream() != null && r.running())
                .forEach(r -> mirrors.put(r.container(), r.upstream())));
        if (mirrors.isEmpty()) {
            return reports;
        }
        Map<String, PullBudget> budgets = served.budgets("recorded " + mirrors, () -> upstreams.budgets(mirrors));
        return reports.stream().map(report -> report.withPullBudgets(budgets)).toList();
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
