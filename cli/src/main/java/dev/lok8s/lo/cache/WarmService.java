package dev.lok8s.lo.cache;

import dev.lok8s.lo.registry.RegistryTlsFiles;
import dev.lok8s.lo.registry.RegistryProbe;
import dev.lok8s.lo.engine.ContainerEngine;
import dev.lok8s.lo.engine.ContainerInfo;
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
import dev.lok8s.lo.store.EventStore;
import dev.lok8s.lo.store.ExpectedVersion;
import dev.lok8s.lo.store.HistoryQuery;
import dev.lok8s.lo.store.StoredEvent;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * {@code lo registry warm}: one recorded run (stream {@code run-<id>}) that pulls each image
 * through its mirror, one after another, appending an {@link ImageWarmed} and a step per image. A
 * failed image is reported and the others go on; the run fails if any did.
 */
public final class WarmService {

    public static final String COMMAND = "registry warm";
    /** Longest a single registry request may take before the image is given up (a blob of a few GB). */
    static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(30);

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
    private final ContainerEngine engine;

    public WarmService(EventStore store, ContainerEngine engine) {
        this.store = store;
        this.engine = engine;
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

    /** A mirror container serving its cache alone ({@link dev.lok8s.lo.plan.MirrorMode#OFFLINE}). */
    private static boolean offline(Optional<ContainerInfo> container) {
        return container != null && container.isPresent() && dev.lok8s.lo.plan.MirrorMode.ofLabel(container.get()
                .labels().get(dev.lok8s.lo.plan.Labels.MIRROR_MODE)) == dev.lok8s.lo.plan.MirrorMode.OFFLINE;
    }

    /**
     * @param platform {@code os/arch} to take from multi-platform images, or null for all
     */
    public Outcome warm(RegistryPlan plan, List<WarmTargets.Target> targets, String platform, String commandLine,
                        String loVersion, CacheWarmer.Listener listener) {
        long start = System.nanoTime();
        UUID runId = UUID.randomUUID();
        EventMetadata meta = EventMetadata.local(runId, commandLine, loVersion);
        store.append(stream(runId), ExpectedVersion.NO_STREAM, List.of(new RunStarted(runId, COMMAND, plan.domain(),
                plan.project(), plan.hash(), ProcessHandle.current().pid(), EventMetadata.hostName())), meta);

        String caPem = plan.tls() ? RegistryTlsFiles.provisionedCaPem(plan).orElse(null) : null;
        HttpClient client = RegistryProbe.client(caPem);
        Map<String, Optional<ContainerInfo>> containers = new HashMap<>();
        Map<String, Set<String>> warmedDigests = new HashMap<>();
        CacheWarmer warmer = new CacheWarmer(platform);
        List<CacheWarmer.Warmed> warmed = new ArrayList<>();
        List<Failure> failures = new ArrayList<>();
        for (WarmTargets.Target target : targets) {
            PlannedRegistry mirror = target.mirror();
            String step = "warm:" + target.image();
            long stepStart = System.nanoTime();
            try {
                Optional<ContainerInfo> container = containers.computeIfAbsent(mirror.container(),
                        engine::findContainer);
                if (container.isEmpty() || !container.get().running()) {
                    throw new RegistryHttp.RegistryException(0, "mirror " + mirror.container() + " is "
                            + container.map(ContainerInfo::state).orElse("missing") + ": start it with lo registry up "
                            + plan.domain());
                }
                Set<String> known = warmedDigests.computeIfAbsent(mirror.container(), this::warmedInto);
                RegistryHttp http = new RegistryHttp(client, RegistryHttp.root(mirror.url()), REQUEST_TIMEOUT);
                String platformName = platform == null ? "all" : platform;
                CacheWarmer.Warmed result = warmer.warm(target.image(), mirror.container(), http,
                        digest -> known.contains(digest + " " + platformName), listener);
                warmed.add(result);
                List<LoEvent> events = List.of(
                        new ImageWarmed(runId, plan.domain(), plan.project(), target.image().toString(),
                                mirror.container(), result.digest(), result.bytes(), result.blobs(), result.manifests(),
                                platform == null ? "all" : platform, result.cached()),
                        new StepCompleted(runId, plan.domain(), plan.project(), step,
                                result.cached() ? StepOutcome.unchanged : StepOutcome.created,
                                (System.nanoTime() - stepStart) / 1_000_000));
                store.append(stream(runId), ExpectedVersion.ANY, events, meta);
            } catch (RegistryHttp.RegistryException e) {
                failures.add(new Failure(target.image().toString(), offline(containers.get(mirror.container()))
                        ? "mirror " + mirror.container() + " is offline (its upstream " + mirror.upstream()
                        + " did not answer): it serves only its cache, which cannot give " + target.image() + " ("
                        + e.getMessage() + "); warm it once the upstream answers and lo registry up " + plan.domain()
                        + " has switched the mirror back"
                        : e.getMessage()));
            } catch (dev.lok8s.lo.engine.EngineException e) {
                failures.add(new Failure(target.image().toString(), e.getMessage()));
            }
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        LoEvent end = failures.isEmpty()
                ? new RunCompleted(runId, plan.domain(), plan.project(), millis)
                : new RunFailed(runId, plan.domain(), plan.project(), "warm:" + failures.getFirst().image(),
                failures.size() + " of " + targets.size() + " images failed: " + String.join("; ",
                        failures.stream().map(f -> f.image() + ": " + f.error()).toList()));
        store.append(stream(runId), ExpectedVersion.ANY, List.of(end), meta);
        return new Outcome(runId, warmed, failures, millis);
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
