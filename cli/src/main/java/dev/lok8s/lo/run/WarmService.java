package dev.lok8s.lo.run;

import dev.lok8s.lo.cache.BoundedBody;
import dev.lok8s.lo.cache.CacheWarmer;
import dev.lok8s.lo.cache.RegistryClients;
import dev.lok8s.lo.cache.RegistryHttp;
import dev.lok8s.lo.cache.WarmLimits;
import dev.lok8s.lo.cache.WarmMirrorCheck;
import dev.lok8s.lo.cache.WarmTargets;
import dev.lok8s.lo.engine.ContainerEngine;
import dev.lok8s.lo.engine.ContainerInfo;
import dev.lok8s.lo.events.BoundedText;
import dev.lok8s.lo.events.ImageWarmed;
import dev.lok8s.lo.events.LoEvent;
import dev.lok8s.lo.events.RunCompleted;
import dev.lok8s.lo.events.RunFailed;
import dev.lok8s.lo.events.StepCompleted;
import dev.lok8s.lo.events.StepOutcome;
import dev.lok8s.lo.events.Streams;
import dev.lok8s.lo.failure.Reason;
import dev.lok8s.lo.plan.PlannedRegistry;
import dev.lok8s.lo.plan.RegistryPlan;
import dev.lok8s.lo.projection.ReadModels;
import dev.lok8s.lo.projection.WarmedImages;
import dev.lok8s.lo.registry.RegistryProbe;
import dev.lok8s.lo.registry.RegistryTlsFiles;
import dev.lok8s.lo.spec.SafeText;
import dev.lok8s.lo.store.EventStore;

import java.net.http.HttpClient;
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
import java.util.function.Supplier;

/**
 * {@code lo registry warm}: a run like any other ({@link RunLifecycle}: the project's lease, RunStarted,
 * RunCompleted or RunFailed) that pulls each image through its mirror, several side by side
 * ({@link WarmLimits}), appending an {@link ImageWarmed} and a step per image as each ends. A failed image is
 * reported in one escaped, cut line and the others go on; the run fails if any did. Images the mirror
 * holds already ({@link WarmedImages}, and the mirror confirms) are skipped.
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
    private final RunLifecycle lifecycle;
    /** A mirror's container by name: all a warm asks the engine, and only once an image failed. */
    private final Function<String, Optional<ContainerInfo>> findContainer;

    public WarmService(EventStore store, ContainerEngine engine, ProjectLeases leases) {
        this(store, leases, engine::findContainer);
    }

    public WarmService(EventStore store, ProjectLeases leases, Function<String, Optional<ContainerInfo>> findContainer) {
        this.store = store;
        this.lifecycle = new RunLifecycle(store, leases);
        this.findContainer = findContainer;
    }

    /** Records a warm refused for bad input (nothing else is written, nothing is fetched). */
    public UUID reject(String domain, String project, Reason reason, String commandLine) {
        return lifecycle.reject(domain, project, COMMAND, reason.recorded(), commandLine);
    }

    /**
     * @param platform     {@code os/arch} to take from multi-platform images, or null for all
     * @param waitForLease wait for another run of the project to end instead of failing at once
     * @throws ProjectLeases.LeaseBusyException when another run holds the project and {@code waitForLease} is off
     */
    public Outcome warm(RegistryPlan plan, List<WarmTargets.Target> targets, String platform, WarmLimits limits,
                        boolean waitForLease, String commandLine, CacheWarmer.Listener listener,
                        ProgressListener progress) {
        long start = System.nanoTime();
        RunLifecycle.Start run = new RunLifecycle.Start(COMMAND, plan.domain(), plan.project(), plan.hash(),
                commandLine, targets.size());
        Map<Integer, CacheWarmer.Warmed> warmed = new TreeMap<>();
        Map<Integer, Failure> failures = new TreeMap<>();
        RunOutcome outcome = lifecycle.run(run, waitForLease, Optional::empty, progress, (runId, sink, done) -> {
            warmAll(plan, targets, platform, limits, runId, sink, listener, warmed, failures);
            long millis = millisSince(start);
            List<Failure> failed = List.copyOf(failures.values());
            LoEvent end = failed.isEmpty()
                    ? new RunCompleted(runId, plan.domain(), plan.project(), millis)
                    : new RunFailed(runId, plan.domain(), plan.project(), "warm:" + failed.getFirst().image(),
                    recordedError(failed, targets.size()));
            sink.append(Streams.run(runId), List.of(end));
            return new RunOutcome(runId, failed.isEmpty() ? RunOutcome.Failure.NONE : RunOutcome.Failure.FAILED,
                    failed.isEmpty() ? null : "warm:" + failed.getFirst().image(),
                    failed.stream().map(f -> Reason.of(f.image() + ": " + f.error())).toList(), List.of(), Map.of(),
                    millis);
        });
        return new Outcome(outcome.runId(), List.copyOf(warmed.values()), List.copyOf(failures.values()),
                outcome.millis());
    }

    /** A failed warm's RunFailed error: how many failed and each one's line, bounded as a whole. */
    static String recordedError(List<Failure> failed, int images) {
        return BoundedText.cut(failed.size() + " of " + images + " images failed: " + String.join("; ",
                failed.stream().map(f -> f.image() + ": " + f.error()).toList()), MAX_RECORDED_ERROR);
    }

    /**
     * Images side by side; this thread alone appends, as each image ends, so the log has every result that
     * was reached even if a later one fails.
     */
    private void warmAll(RegistryPlan plan, List<WarmTargets.Target> targets, String platform, WarmLimits limits,
                         UUID runId, EventSink sink, CacheWarmer.Listener listener,
                         Map<Integer, CacheWarmer.Warmed> warmed, Map<Integer, Failure> failures) {
        BoundedBody.Deadline overall = limits.overall();
        String caPem = plan.tls() ? RegistryTlsFiles.provisionedCaPem(plan).orElse(null) : null;
        Supplier<HttpClient> client = RegistryClients.lazy(() -> plan.tls() ? RegistryProbe.client(caPem)
                : RegistryClients.plain());
        Map<String, Optional<ContainerInfo>> containers = new ConcurrentHashMap<>();
        Map<String, Set<String>> warmedDigests = new ConcurrentHashMap<>();
        WarmedImages warmedImages = ReadModels.of(store).warmedImages();
        CacheWarmer warmer = new CacheWarmer(platform, limits);
        String platformName = platform == null ? "all" : platform;
        String stream = Streams.run(runId);
        ExecutorService images = Executors.newFixedThreadPool(limits.parallelImages(), Thread.ofVirtual().factory());
        try {
            CompletionService<Ended> completion = new ExecutorCompletionService<>(images);
            for (int i = 0; i < targets.size(); i++) {
                int index = i;
                WarmTargets.Target target = targets.get(i);
                completion.submit(() -> {
                    long stepStart = System.nanoTime();
                    if (overall.passed()) {
                        return new Ended(index, null, new Failure(target.image().toString(), "not started: "
                                + overall.description() + " had passed"), millisSince(stepStart));
                    }
                    try {
                        PlannedRegistry mirror = target.mirror();
                        RegistryHttp http = new RegistryHttp(client, RegistryClients.CONNECT_TIMEOUT,
                                RegistryHttp.root(mirror.url()), limits.responseTimeout());
                        // the read model is asked only once the manifests say there may be something to skip
                        Predicate<String> warmedBefore = digest -> warmedDigests
                                .computeIfAbsent(mirror.container(), warmedImages::of)
                                .contains(digest + " " + platformName);
                        CacheWarmer.Warmed result;
                        try {
                            result = warmer.warm(target.image(), mirror.container(), http, warmedBefore, listener,
                                    overall);
                        } catch (RegistryHttp.RegistryException e) {
                            throw WarmMirrorCheck.explain(e, mirror, target.image(), plan.domain(),
                                    container(containers, mirror.container()));
                        }
                        return new Ended(index, result, null, millisSince(stepStart));
                    } catch (RuntimeException e) {
                        return new Ended(index, null, new Failure(target.image().toString(), failureText(e)),
                                millisSince(stepStart));
                    }
                });
            }
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
                    sink.append(stream, events);
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
    }

    /** The mirror's container, asked once per warm; null when the engine could not say. */
    private Optional<ContainerInfo> container(Map<String, Optional<ContainerInfo>> containers, String name) {
        try {
            return containers.computeIfAbsent(name, findContainer);
        } catch (RuntimeException engineFailed) {
            return null;
        }
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
     * {@code RegistryHttp.peerText}, and this escapes and cuts whatever else might carry outside text
     * (an engine's or the store's message).
     */
    static String failureText(RuntimeException e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return SafeText.shown(message);
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }
}
