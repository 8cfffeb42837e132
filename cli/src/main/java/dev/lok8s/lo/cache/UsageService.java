package dev.lok8s.lo.cache;

import dev.lok8s.lo.engine.ContainerEngine;
import dev.lok8s.lo.engine.ContainerInfo;
import dev.lok8s.lo.engine.EngineException;
import dev.lok8s.lo.plan.PlannedRegistry;
import dev.lok8s.lo.plan.RegistryPlan;
import dev.lok8s.lo.plan.Scope;
import dev.lok8s.lo.projection.MirrorTraffic;
import dev.lok8s.lo.projection.ReadModels;
import dev.lok8s.lo.registry.RegistryProbe;
import dev.lok8s.lo.registry.RegistryTlsFiles;
import dev.lok8s.lo.store.EventStore;

import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

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
    /** How long one report may take; a registry not measured by then is reported so and left behind. */
    public static final Duration DEADLINE = Duration.ofSeconds(60);
    /** How long one answer of a registry (headers and body) may take. */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);

    /** The report was abandoned: its thread was interrupted (the HTTP client went away, the command was stopped). */
    public static final class UsageCancelledException extends RuntimeException {
        public UsageCancelledException() {
            super("registry usage was cancelled");
        }
    }
    /** How far back the hourly hits and misses go. */
    public static final int HOURLY_DAYS = 7;

    private final EventStore store;
    private final ContainerEngine engine;

    public UsageService(EventStore store, ContainerEngine engine) {
        this.store = store;
        this.engine = engine;
    }

    /**
     * What one report measures: a project's registries, from its plan or as the log records them.
     *
     * @param caPem the CA to verify TLS registries with, or null for the JDK's trust store
     */
    public record Subject(String project, String domain, List<Measured> registries, String caPem) {
        public Subject {
            registries = List.copyOf(registries);
        }
    }

    /** One registry to measure: whether it is a mirror on the shared network, and the projects using it. */
    public record Measured(PlannedRegistry registry, boolean shared, List<String> users) {
        public Measured {
            users = List.copyOf(users);
        }
    }

    public UsageReport report(RegistryPlan plan) {
        return report(plan, DEADLINE);
    }

    /** The plan's registries; the users of its shared mirrors as the log records them. */
    public Subject subject(RegistryPlan plan) {
        Set<String> sharedUsers = plan.shared()
                ? ReadModels.of(store).registries()
                .usersOf(plan.sharedNetwork().name()) : Set.of();
        String caPem = plan.tls() ? RegistryTlsFiles.provisionedCaPem(plan).orElse(null) : null;
        List<Measured> registries = new ArrayList<>();
        for (PlannedRegistry registry : plan.registries()) {
            boolean shared = registry.isMirror() && plan.shared();
            registries.add(new Measured(registry, shared, shared ? List.copyOf(sharedUsers) : List.of(plan.project())));
        }
        return new Subject(plan.project(), plan.domain(), registries, caPem);
    }

    public UsageReport report(RegistryPlan plan, Duration deadline) {
        return report(subject(plan), deadline);
    }

    /**
     * Measures every registry of the subject side by side, all within {@code deadline}: a registry whose
     * measurement is not done by then is cancelled (its calls interrupted) and reported with an error
     * naming the limit. Interrupting the calling thread cancels every measurement and throws
     * {@link UsageCancelledException}; nothing keeps running for a report nobody waits for.
     */
    public UsageReport report(Subject subject, Duration deadline) {
        long end = System.nanoTime() + deadline.toNanos();
        Map<String, UsageReport.Traffic> traffic = mirrorTraffic(subject, end);
        Map<String, Long> sizes = engine.volumeSizes();
        HttpClient client = RegistryProbe.client(subject.caPem());
        Map<Measured, Future<UsageReport.RegistryUsage>> futures = new LinkedHashMap<>();
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        try {
            for (Measured measured : subject.registries()) {
                futures.put(measured, executor.submit(() -> usage(measured.registry(), measured.shared(),
                        measured.users(), sizes, client)));
            }
            List<UsageReport.RegistryUsage> rows = new ArrayList<>();
            for (var entry : futures.entrySet()) {
                rows.add(withTraffic(within(entry.getValue(), end, deadline, entry.getKey(), sizes),
                        traffic.get(entry.getKey().registry().container())));
            }
            long total = rows.stream().filter(r -> r.volumeBytes() != null)
                    .mapToLong(UsageReport.RegistryUsage::volumeBytes).sum();
            return new UsageReport(subject.project(), subject.domain(), rows, total);
        } finally {
            // interrupts what is still running (a registry past the deadline, a cancelled report); not waited for
            executor.shutdownNow();
        }
    }

    private static UsageReport.RegistryUsage within(Future<UsageReport.RegistryUsage> future, long end, Duration deadline,
                                                    Measured measured, Map<String, Long> sizes) {
        PlannedRegistry registry = measured.registry();
        try {
            return future.get(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            return new UsageReport.RegistryUsage(registry.name(), registry.role(),
                    measured.shared() ? Scope.SHARED : Scope.PROJECT, registry.container(),
                    registry.ip(), registry.url(), "unknown", registry.volume(), sizes.get(registry.volume()), null, null,
                    false, null, null, measured.users(), "not measured within " + BoundedBody.seconds(deadline)
                    + ", the most lo spends on one usage report");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UsageCancelledException();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private static UsageReport.RegistryUsage withTraffic(UsageReport.RegistryUsage r, UsageReport.Traffic traffic) {
        return traffic == null ? r : new UsageReport.RegistryUsage(r.name(), r.role(), r.scope(), r.container(), r.ip(),
                r.url(), r.state(), r.volume(), r.volumeBytes(), r.repositories(), r.tags(), r.truncated(), r.lastPull(),
                r.lastPullImage(), r.usedBy(), r.error(), traffic);
    }

    /**
     * The mirrors' logs read up to now, then their hits and misses, within the report's deadline and cancelled
     * with it; figures that cannot be had in time (or at all) are left out, the rest of the report goes on.
     */
    private Map<String, UsageReport.Traffic> mirrorTraffic(Subject subject, long end) {
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        Future<Map<String, UsageReport.Traffic>> future = executor.submit(() -> {
            MirrorLogService logs = new MirrorLogService(store, engine);
            for (PlannedRegistry mirror : mirrors(subject)) {
                logs.catchUp(subject.domain(), subject.project(), mirror, null, null);
            }
            return traffic(subject);
        });
        try {
            return future.get(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UsageCancelledException();
        } catch (TimeoutException | ExecutionException e) {
            return Map.of();
        } finally {
            executor.shutdownNow();
        }
    }

    /** Each mirror's hits and misses from the read model, in total, per project and per hour. */
    private static List<PlannedRegistry> mirrors(Subject subject) {
        return subject.registries().stream().map(Measured::registry).filter(PlannedRegistry::isMirror).toList();
    }

    private Map<String, UsageReport.Traffic> traffic(Subject subject) {
        List<String> mirrors = mirrors(subject).stream().map(PlannedRegistry::container).toList();
        MirrorTraffic read = ReadModels.of(store).mirrorTraffic();
        List<MirrorTraffic.Counts> totals = read.totals(mirrors, null);
        List<MirrorTraffic.Counts> hourly = read.hourly(mirrors,
                Instant.now().minus(Duration.ofDays(HOURLY_DAYS)).truncatedTo(ChronoUnit.HOURS));
        Map<String, UsageReport.Traffic> byMirror = new HashMap<>();
        for (String mirror : mirrors) {
            List<UsageReport.Counts> projects = totals.stream().filter(c -> c.mirror().equals(mirror))
                    .map(c -> new UsageReport.Counts(c.project(), null, c.hits(), c.misses(), c.hitBytes(),
                            c.missBytes())).toList();
            Map<Instant, long[]> hours = new TreeMap<>();
            hourly.stream().filter(c -> c.mirror().equals(mirror)).forEach(c -> {
                long[] h = hours.computeIfAbsent(c.hour(), k -> new long[4]);
                h[0] += c.hits();
                h[1] += c.misses();
                h[2] += c.hitBytes();
                h[3] += c.missBytes();
            });
            byMirror.put(mirror, new UsageReport.Traffic(
                    projects.stream().mapToLong(UsageReport.Counts::hits).sum(),
                    projects.stream().mapToLong(UsageReport.Counts::misses).sum(),
                    projects.stream().mapToLong(UsageReport.Counts::hitBytes).sum(),
                    projects.stream().mapToLong(UsageReport.Counts::missBytes).sum(), projects,
                    hours.entrySet().stream().map(e -> new UsageReport.Counts(null, e.getKey(), e.getValue()[0],
                            e.getValue()[1], e.getValue()[2], e.getValue()[3])).toList()));
        }
        return byMirror;
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
        if (container.isPresent() && container.get().running() && registry.url() != null) {
            try {
                RegistryHttp http = new RegistryHttp(client, RegistryHttp.root(registry.url()), REQUEST_TIMEOUT);
                RegistryHttp.Listing catalog = http.catalog();
                repositories = catalog.names().size();
                truncated = catalog.truncated() || catalog.names().size() > MAX_TAGGED_REPOSITORIES;
                int count = 0;
                for (String repository : catalog.names().stream().limit(MAX_TAGGED_REPOSITORIES).toList()) {
                    if (Thread.currentThread().isInterrupted()) {
                        throw new UsageCancelledException();
                    }
                    RegistryHttp.Listing listed = http.tags(repository);
                    count += listed.names().size();
                    truncated |= listed.truncated();
                }
                tags = count;
            } catch (RegistryHttp.RegistryException e) {
                error = e.getMessage();
            }
        }
        if (container.isPresent() && !Thread.currentThread().isInterrupted()) {
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
