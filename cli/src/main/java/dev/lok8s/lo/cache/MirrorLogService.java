package dev.lok8s.lo.cache;

import dev.lok8s.lo.engine.ContainerEngine;
import dev.lok8s.lo.engine.ContainerInfo;
import dev.lok8s.lo.engine.EngineException;
import dev.lok8s.lo.events.EventMetadata;
import dev.lok8s.lo.events.MirrorLogRead;
import dev.lok8s.lo.events.Streams;
import dev.lok8s.lo.plan.PlannedRegistry;
import dev.lok8s.lo.plan.RegistryPlan;
import dev.lok8s.lo.projection.MirrorTraffic;
import dev.lok8s.lo.projection.ReadModels;
import dev.lok8s.lo.store.EventStore;
import dev.lok8s.lo.store.ExpectedVersion;
import dev.lok8s.lo.version.LoVersion;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Brings the mirrors' read models up to date: reads each mirror's log from where the last read of the
 * same container stopped ({@link MirrorTraffic#cursor}) and records what it served as one
 * {@link MirrorLogRead} (nothing when no line is new). Run before anything that reports or decides on
 * what a mirror served: {@code lo registry usage}, {@code lo registry prune}, the API's usage.
 */
public final class MirrorLogService {

    /** Reads per mirror at most, each up to the engine's byte limit: a long-unread log is caught up over several calls. */
    static final int MAX_READS = 4;

    private final EventStore store;
    private final ContainerEngine engine;

    public MirrorLogService(EventStore store, ContainerEngine engine) {
        this.store = store;
        this.engine = engine;
    }

    /** Reads every mirror of the plan that exists; a mirror whose log cannot be read is left for the next time. */
    public void catchUp(RegistryPlan plan, String commandLine) {
        for (PlannedRegistry mirror : plan.registries()) {
            if (mirror.isMirror()) {
                catchUp(plan, mirror, null, commandLine);
            }
        }
    }

    /** @param runId the run reading it (a prune), or null */
    public void catchUp(RegistryPlan plan, PlannedRegistry mirror, UUID runId, String commandLine) {
        catchUp(plan.domain(), plan.project(), mirror, runId, commandLine);
    }

    /** @param domain the domain and project that read it (recorded in its MirrorLogRead) */
    public void catchUp(String domain, String project, PlannedRegistry mirror, UUID runId, String commandLine) {
        try {
            Optional<ContainerInfo> container = engine.findContainer(mirror.container());
            if (container.isEmpty()) {
                return;
            }
            MirrorTraffic traffic = ReadModels.of(store).mirrorTraffic();
            for (int i = 0; i < MAX_READS; i++) {
                Optional<MirrorTraffic.Cursor> cursor = traffic.cursor(mirror.container())
                        .filter(c -> container.get().id().equals(c.containerId()));
                Instant after = cursor.map(MirrorTraffic.Cursor::until).orElse(null);
                String log = engine.timestampedLogs(mirror.container(), after);
                MirrorLog.Summary read = MirrorLog.read(log, after, AccessLog.DEADLINE);
                if (read.empty()) {
                    return;
                }
                store.append(Streams.mirror(mirror.container()), ExpectedVersion.ANY, List.of(new MirrorLogRead(
                                domain, project, mirror.container(), container.get().id(), read.until(),
                                read.images(), read.traffic(), read.skipped(), read.cut())),
                        EventMetadata.local(runId, commandLine, LoVersion.current()));
                if (!read.cut() && log.length() < 8 * 1024 * 1024) {
                    return;
                }
            }
        } catch (EngineException e) {
            // the figures stay as the last read left them; usage reports the engine's state itself
        }
    }
}
