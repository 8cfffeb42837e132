package dev.lok8s.lo.cache;

import dev.lok8s.lo.engine.EngineCalls;
import dev.lok8s.lo.plan.Scope;
import dev.lok8s.lo.registry.RegistryTlsFiles;
import dev.lok8s.lo.registry.RegistryProbe;
import dev.lok8s.lo.engine.ContainerEngine;
import dev.lok8s.lo.engine.ContainerInfo;
import dev.lok8s.lo.engine.EngineException;
import dev.lok8s.lo.plan.PlannedRegistry;
import dev.lok8s.lo.plan.RegistryPlan;
import dev.lok8s.lo.projection.ReadModels;
import dev.lok8s.lo.store.EventStore;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Builds a {@link UsageReport}: volume sizes from the engine's disk-usage report (one call for all
 * volumes), repositories and tags from each running registry's API, the last pull from each
 * registry's recent access-log lines, and the users of shared mirrors from the event log.
 */
public final class UsageService {

    /** Log lines read per registry for its last pull. */
    static final int LOG_LINES = 5000;
    /** Tag lists are read for at most this many repositories per registry. */
    static final int MAX_TAGGED_REPOSITORIES = 200;

    private final EventStore store;
    private final ContainerEngine engine;

    public UsageService(EventStore store, ContainerEngine engine) {
        this.store = store;
        this.engine = engine;
    }

    public UsageReport report(RegistryPlan plan) {
        Map<String, Long> sizes = engine.volumeSizes();
        Set<String> sharedUsers = plan.shared()
                ? ReadModels.of(store).registries()
                .usersOf(plan.sharedNetwork().name()) : Set.of();
        String caPem = plan.tls() ? RegistryTlsFiles.provisionedCaPem(plan).orElse(null) : null;
        HttpClient client = RegistryProbe.client(caPem);
        List<Future<UsageReport.RegistryUsage>> futures = new ArrayList<>();
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (PlannedRegistry registry : plan.registries()) {
                boolean shared = registry.isMirror() && plan.shared();
                List<String> users = shared ? List.copyOf(sharedUsers) : List.of(plan.project());
                futures.add(executor.submit(() -> usage(registry, shared, users, sizes, client)));
            }
            List<UsageReport.RegistryUsage> rows = new ArrayList<>();
            for (Future<UsageReport.RegistryUsage> future : futures) {
                rows.add(EngineCalls.join(future, "measuring registry usage"));
            }
            long total = rows.stream().filter(r -> r.volumeBytes() != null)
                    .mapToLong(UsageReport.RegistryUsage::volumeBytes).sum();
            return new UsageReport(plan.project(), plan.domain(), rows, total);
        }
    }

    private UsageReport.RegistryUsage usage(PlannedRegistry registry, boolean shared, List<String> users,
                                            Map<String, Long> sizes, HttpClient client) {
        Optional<ContainerInfo> container = engine.findContainer(registry.container());
        String state = container.map(ContainerInfo::state).orElse("missing");
        Integer repositories = null;
        Integer tags = null;
        boolean truncated = false;
        String error = null;
        AccessLog.Pull pull = null;
        if (container.isPresent() && container.get().running()) {
            try {
                RegistryHttp http = new RegistryHttp(client, RegistryHttp.root(registry.url()), Duration.ofSeconds(5));
                RegistryHttp.Listing catalog = http.catalog();
                repositories = catalog.names().size();
                truncated = catalog.truncated() || catalog.names().size() > MAX_TAGGED_REPOSITORIES;
                int count = 0;
                for (String repository : catalog.names().stream().limit(MAX_TAGGED_REPOSITORIES).toList()) {
                    RegistryHttp.Listing listed = http.tags(repository);
                    count += listed.names().size();
                    truncated |= listed.truncated();
                }
                tags = count;
            } catch (RegistryHttp.RegistryException e) {
                error = e.getMessage();
            }
        }
        if (container.isPresent()) {
            try {
                pull = AccessLog.lastPull(engine.logs(registry.container(), LOG_LINES)).orElse(null);
            } catch (EngineException e) {
                error = error == null ? e.getMessage() : error;
            }
        }
        return new UsageReport.RegistryUsage(registry.name(), registry.role(), shared ? Scope.SHARED : Scope.PROJECT,
                registry.container(), registry.ip(), registry.url(), state, registry.volume(),
                sizes.get(registry.volume()), repositories, tags, truncated, pull == null ? null : pull.at(),
                pull == null ? null : pull.repository() + ":" + pull.reference(), users, error);
    }
}
