package dev.lok8s.lo.api;

import dev.lok8s.lo.cache.RecordedUsage;
import dev.lok8s.lo.cache.UsageReport;
import dev.lok8s.lo.cache.UsageService;
import dev.lok8s.lo.engine.ContainerEngine;
import dev.lok8s.lo.plan.RegistryPlan;
import dev.lok8s.lo.plan.Role;
import dev.lok8s.lo.projection.ReadModels;
import dev.lok8s.lo.projection.RegistryLog.RecordedRegistry;
import dev.lok8s.lo.store.EventStore;
import dev.lok8s.lo.upstream.MirrorUpstreams;
import dev.lok8s.lo.upstream.PullBudget;
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

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code lo registry usage} over HTTP, answered from the event log and the engine like
 * {@code /api/registries}, wherever {@code lo serve} runs: without {@code domain} a report for every project
 * the log records, with one that project's report. A domain the log does not know yet (never provisioned)
 * falls back to its spec, {@code clusters/<domain>/cluster.lok8s.yaml} under {@code lo.serve.project-dir}.
 * Read-only: warming is not exposed. Each report has a deadline ({@link UsageService#DEADLINE}) and the
 * request is cancelled when the client closes the connection before it is ready.
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

    @Inject
    MirrorUpstreams upstreams;

    @Inject
    ServedPullBudgets served;

    @GET
    @Operation(summary = "Disk, repositories, tags, last pull and (running mirrors) pull budget of each registry,"
            + " as lo registry usage shows them:"
            + " without domain, a list with one report per project the log records; with domain, that project's"
            + " report")
    public Object usage(@Context UriInfo uri, @Context HttpServerResponse response,
                        @QueryParam("domain") String domain) {
        Params.only(uri, "domain");
        RecordedUsage recorded = new RecordedUsage(store, engine, RegistriesResource::mkcertCa);
        // bounded by the reports' own deadline, and cancelled as soon as the client hangs up
        if (domain == null || domain.isBlank()) {
            return withPullBudgets(WhileConnected.call(response, "registry-usage", recorded::all));
        }
        UsageReport report = WhileConnected.call(response, "registry-usage", () -> {
            Optional<UsageReport> fromLog = recorded.forDomain(domain);
            if (fromLog.isPresent()) {
                return fromLog.get();
            }
            RegistryPlan plan = projects.plan(domain);
            return new UsageService(store, engine).report(plan);
        });
        return withPullBudgets(List.of(report)).getFirst();
    }

    /**
     * The reports with the pull budget of each running mirror the log records (a mirror that does not run is
     * not asked on the service's behalf; one that runs has its networks, so its upstream can be asked), every
     * mirror asked once, side by side, as {@link ServedPullBudgets} keeps them.
     */
    private List<UsageReport> withPullBudgets(List<UsageReport> reports) {
        Map<String, String> upstreamOf = new HashMap<>();
        for (RecordedRegistry r : ReadModels.of(store).registries().recordedRegistries()) {
            if (r.role() == Role.MIRROR && r.upstream() != null) {
                upstreamOf.put(r.container(), r.upstream());
            }
        }
        Map<String, String> running = new LinkedHashMap<>();
        reports.forEach(report -> report.registries().stream()
                .filter(r -> "running".equals(r.state()) && upstreamOf.containsKey(r.container()))
                .forEach(r -> running.put(r.container(), upstreamOf.get(r.container()))));
        if (running.isEmpty()) {
            return reports;
        }
        Map<String, PullBudget> budgets = served.budgets("mirrors " + running, () -> upstreams.budgets(running));
        return reports.stream().map(report -> report.withPullBudgets(budgets)).toList();
    }
}
