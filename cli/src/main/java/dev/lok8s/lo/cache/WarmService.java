package dev.lok8s.lo.cache;

import dev.lok8s.lo.registry.RegistryTlsFiles;
import dev.lok8s.lo.registry.RegistryProbe;
import dev.lok8s.lo.engine.ContainerEngine;
import dev.lok8s.lo.engine.ContainerInfo;
import dev.lok8s.lo.events.BoundedText;
import dev.lok8s.lo.events.EventMetadata;
import dev.lok8s.lo.events.ImageWarmed;
import dev.lok8s.lo.events.LoEvent;
import dev.lok8s.lo.events.RegistryRemoved;
import dev.lok8s.lo.events.RunCompleted;
import dev.lok8s.lo.events.RunFailed;
import dev.lok8s.lo.events.RunRejected;
import dev.lok8s.lo.events.RunStarted;
import dev.lok8s.lo.events.StepCompleted;
import dev.lok8s.lo.events.StepOutcome;
import dev.lok8s.lo.plan.PlannedRegistry;
import dev.lok8s.lo.plan.RegistryPlan;
import dev.lok8s.lo.spec.SafeText;
import dev.lok8s.lo.store.EventStore;
import dev.lok8s.lo.store.ExpectedVersion;
import dev.lok8s.lo.store.HistoryQuery;
import dev.lok8s.lo.store.StoredEvent;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import java.net.http.HttpClient;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * {@code lo registry warm}: one recorded run (stream {@code run-<id>}) that pulls each image
 * through its mirror, several side by side ({@link WarmLimits}), appending an {@link ImageWarmed} and a
 * step per image as each ends. A failed image is reported in one escaped, cut line and the others go on;
 * the run fails if any did.
 */
public final class WarmService {

    public static final String COMMAND = "registry warm";
    /** What a failed warm's RunFailed keeps of its failures (each is already cut to a line). */
    static final int MAX_RECORDED_ERROR = 20_000;

    /** One image that could not be warmed, and why. */
    public record Failure(String image, String error) {
    }

    public record Outcome(UUID runId, List<CacheWarmer.Warmed> warmed, List<Failure> failures, long millis) {
        public Outcome {
            warmed = List.copyOf(warmed);
            failures = List.copyOf(failures);
        }

        public boolean completed() {
            return failures.isEmpty();
        }
    }

    private final EventStore store;
    /** A mirror's container by name: all a warm asks the engine. */
    private final Function<String, Optional<ContainerInfo>> findContainer;

    public WarmService(EventStore store, ContainerEngine engine) {
        this(store, engine::findContainer);
    }

    WarmService(EventStore store, Function<String, Optional<ContainerInfo>> findContainer) {
        this.store = store;
        this.findContainer = findContainer;
    }

    private static String stream(UUID runId) {
        return "run-" + runId;
    }

    /** Records a warm refused for bad input (nothing else is written, nothing is fetched). */
    public UUID reject(String domain, String project, String reason, String commandLine, String loVersion) {
        UUID runId = UUID.randomUUID();
        store.append(stream(runId), ExpectedVersion.NO_STREAM,
                List.of(new RunRejected(runId, domain, project, COMMAND, reason)),
                EventMetadata.local(runId, commandLine, loVersion));
        return runId;
    }

    /**
     * @param platform {@code os/arch} to take from multi-platform images, or null for all
     */
    public Outcome warm(RegistryPlan plan, List<WarmTargets.Target> targets, String platform, WarmLimits limits,
                        String commandLine, String loVersion, CacheWarmer.Listener listener) {
        long start = System.nanoTime();
        BoundedBody.Deadline overall = limits.overall();
        UUID runId = UUID.randomUUID();
        EventMetadata meta = EventMetadata.local(runId, commandLine, loVersion);
        String caPem = plan.tls() ? RegistryTlsFiles.provisionedCaPem(plan).orElse(null) : null;
        HttpClient client = plan.tls() ? RegistryProbe.client(caPem) : plainHttpClient();
        Map<String, Optional<ContainerInfo>> containers = new ConcurrentHashMap<>();
        Map<String, Set<String>> warmedDigests = new ConcurrentHashMap<>();
        CacheWarmer warmer = new CacheWarmer(platform, limits);
        String platformName = platform == null ? "all" : platform;

        // Images side by side; this thread alone appends, as each image ends, so the log has every result
        // that was reached even if a later one fails.
        Map<Integer, CacheWarmer.Warmed> warmed = new TreeMap<>();
        Map<Integer, Failure> failures = new TreeMap<>();
        ExecutorService images = Executors.newFixedThreadPool(limits.parallelImages(), Thread.ofVirtual().factory());
        try {
            CompletionService<Ended> completion = new ExecutorCompletionService<>(images);
            for (int i = 0; i < targets.size(); i++) {
                int index = i;
                WarmTargets.Target target = targets.get(i);
                completion.submit(() -> {
                    long stepStart = System.nanoTime();
                    try {
                        if (overall.passed()) {
                            throw new RegistryHttp.RegistryException(0, "not started: " + overall.description()
                                    + " had passed");
                        }
                        PlannedRegistry mirror = target.mirror();
                        RegistryHttp http = new RegistryHttp(client, RegistryHttp.root(mirror.url()),
                                limits.responseTimeout());
                        // the log is read only once the manifests say there may be something to skip
                        Predicate<String> warmedBefore = digest -> warmedDigests
                                .computeIfAbsent(mirror.container(), this::warmedInto)
                                .contains(digest + " " + platformName);
                        CacheWarmer.Warmed result;
                        try {
                            result = warmer.warm(target.image(), mirror.container(), http, warmedBefore, listener,
                                    overall);
                        } catch (RegistryHttp.RegistryException e) {
                            throw explained(e, mirror, target.image(), plan.domain(), containers);
                        }
                        return new Ended(index, result, null, millisSince(stepStart));
                    } catch (RuntimeException e) {
                        return new Ended(index, null, new Failure(target.image().toString(), failureText(e)),
                                millisSince(stepStart));
                    }
                });
            }
            // Recorded while the first requests are in flight: opening the store (the command's first use
            // of it) then costs no time of its own. Nothing is recorded for an image before this.
            store.append(stream(runId), ExpectedVersion.NO_STREAM, List.of(new RunStarted(runId, COMMAND,
                    plan.domain(), plan.project(), plan.hash(), ProcessHandle.current().pid(),
                    EventMetadata.hostName())), meta);
            for (int i = 0; i < targets.size(); i++) {
                Ended ended = take(completion);
                if (ended.failure() != null) {
                    failures.put(ended.index(), ended.failure());
                    continue;
                }
                CacheWarmer.Warmed result = ended.warmed();
                List<LoEvent> events = List.of(
                        new ImageWarmed(runId, plan.domain(), plan.project(), result.image().toString(),
                                result.mirror(), result.digest(), result.bytes(), result.blobs(), result.manifests(),
                                platformName, result.cached()),
                        new StepCompleted(runId, plan.domain(), plan.project(), "warm:" + result.image(),
                                result.cached() ? StepOutcome.unchanged : StepOutcome.created, ended.millis()));
                try {
                    store.append(stream(runId), ExpectedVersion.ANY, events, meta);
                    warmed.put(ended.index(), result);
                } catch (RuntimeException e) {
                    // the image is in the mirror, but the log does not say so: report it as failed, go on
                    failures.put(ended.index(), new Failure(result.image().toString(), "warmed, but recording it "
                            + "failed: " + failureText(e)));
                }
            }
        } finally {
            images.shutdownNow();
            images.close();
        }
        long millis = millisSince(start);
        List<Failure> failed = List.copyOf(failures.values());
        LoEvent end = failed.isEmpty()
                ? new RunCompleted(runId, plan.domain(), plan.project(), millis)
                : new RunFailed(runId, plan.domain(), plan.project(), "warm:" + failed.getFirst().image(),
                BoundedText.cut(failed.size() + " of " + targets.size() + " images failed: " + String.join("; ",
                        failed.stream().map(f -> f.image() + ": " + f.error()).toList()), MAX_RECORDED_ERROR));
        store.append(stream(runId), ExpectedVersion.ANY, List.of(end), meta);
        return new Outcome(runId, List.copyOf(warmed.values()), failed, millis);
    }

    /**
     * A client for registries served over plain HTTP. It is given a TLS context that trusts nothing
     * (and is never used): without one, the JDK loads and parses its whole trust store when the client
     * is built, 0.3-0.9 s of a warm on a loaded machine.
     */
    static HttpClient plainHttpClient() {
        try {
            SSLContext none = SSLContext.getInstance("TLS");
            none.init(null, new TrustManager[0], null);
            return HttpClient.newBuilder().connectTimeout(Duration.ofMillis(800)).sslContext(none).build();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot make a TLS context: " + e.getMessage(), e);
        }
    }

    /**
     * A failure as the mirror's container explains it: stopped or missing when it did not answer, offline
     * (serving only its cache) when its upstream is away. The engine is asked only when an image failed
     * (a warm that goes well never needs it), and its own failure changes nothing.
     */
    private RegistryHttp.RegistryException explained(RegistryHttp.RegistryException e, PlannedRegistry mirror,
                                                     ImageName image, String domain,
                                                     Map<String, Optional<ContainerInfo>> containers) {
        Optional<ContainerInfo> container;
        try {
            container = containers.computeIfAbsent(mirror.container(), findContainer);
        } catch (RuntimeException engineFailed) {
            return e;
        }
        if (e.status() == 0 && (container.isEmpty() || !container.get().running())) {
            return new RegistryHttp.RegistryException(0, "mirror " + mirror.container() + " is "
                    + container.map(ContainerInfo::state).orElse("missing") + ": start it with lo registry up " + domain);
        }
        if (offline(container)) {
            return new RegistryHttp.RegistryException(e.status(), "mirror " + mirror.container() + " is offline (its "
                    + "upstream " + mirror.upstream() + " did not answer): it serves only its cache, which cannot give "
                    + image + " (" + e.getMessage() + "); warm it once the upstream answers and lo registry up "
                    + domain + " has switched the mirror back");
        }
        return e;
    }

    private static boolean offline(Optional<ContainerInfo> container) {
        return container != null && container.isPresent() && dev.lok8s.lo.plan.MirrorMode.ofLabel(container.get()
                .labels().get(dev.lok8s.lo.plan.Labels.MIRROR_MODE)) == dev.lok8s.lo.plan.MirrorMode.OFFLINE;
    }

    /** How one image's warm ended: warmed, or failed. */
    private record Ended(int index, CacheWarmer.Warmed warmed, Failure failure, long millis) {
    }

    private static Ended take(CompletionService<Ended> completion) {
        try {
            return completion.take().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while warming", e);
        } catch (ExecutionException e) {
            // each task turns its failures into an Ended; only an Error gets here
            throw new IllegalStateException("warming failed: " + e.getCause(), e.getCause());
        }
    }

    /**
     * A failure's one line, fit to print and record: lo's messages quote registries only through
     * {@link RegistryHttp#peerText}, and this escapes and cuts whatever else might carry outside text
     * (an engine's or the store's message).
     */
    static String failureText(RuntimeException e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return SafeText.shown(message);
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }

    /**
     * Digest and platform pairs the log records as warmed into this mirror since its volume was last removed (a removal
     * takes the cache with it). The newest {@link #LOG_WINDOW} of each event type are read.
     */
    private Set<String> warmedInto(String container) {
        long removedAt = 0;
        for (StoredEvent e : recent(RegistryRemoved.class.getSimpleName())) {
            if (e.event() instanceof RegistryRemoved r && container.equals(r.container())) {
                removedAt = Math.max(removedAt, e.position());
            }
        }
        Set<String> digests = new HashSet<>();
        for (StoredEvent e : recent(ImageWarmed.class.getSimpleName())) {
            if (e.position() > removedAt && e.event() instanceof ImageWarmed w && container.equals(w.mirror())) {
                digests.add(w.digest() + " " + w.platform());
            }
        }
        return digests;
    }

    static final int LOG_WINDOW = 2000;

    private List<StoredEvent> recent(String type) {
        return store.query(new HistoryQuery(null, type, null, null, null, LOG_WINDOW, null)).events();
    }
}
