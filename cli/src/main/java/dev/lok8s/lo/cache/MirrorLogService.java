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
import dev.lok8s.lo.store.StoredEvent;
import dev.lok8s.lo.store.StreamSlice;
import dev.lok8s.lo.store.WrongExpectedVersionException;
import dev.lok8s.lo.version.LoVersion;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Brings the mirrors' read models up to date: reads each mirror's log from where the last read of the
 * same container stopped ({@link MirrorTraffic#cursor}) and records what it served as one
 * {@link MirrorLogRead} (nothing when no line is new). The read is appended expecting the stream's version
 * from before its cursor was read, so two reads at once (two {@code lo registry usage}, usage beside
 * {@code lo serve}'s usage or metrics) never record the same lines twice: the one that appends second
 * reads what the first recorded and records only the lines after it. Run before anything that reports or decides on
 * what a mirror served: {@code lo registry usage}, {@code lo registry prune}, the API's usage.
 */
public final class MirrorLogService {

    /** Reads per mirror at most, each up to the engine's byte limit: a long-unread log is caught up over several calls. */
    static final int MAX_READS = 4;
    /**
     * Other readers' appends one catch-up gives way to before it leaves the rest for the next read (each
     * conflict means another usage read or prune recorded a read of the same mirror meanwhile).
     */
    static final int MAX_CONFLICTS = 20;

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
            String stream = Streams.mirror(mirror.container());
            String containerId = container.get().id();
            MirrorTraffic traffic = ReadModels.of(store).mirrorTraffic();
            int conflicts = 0;
            for (int i = 0; i < MAX_READS; i++) {
                // The stream's version before the cursor: a read recorded after this makes the append fail
                // instead of counting the same lines a second time.
                int version = store.streamVersion(stream);
                Instant after = traffic.cursor(mirror.container())
                        .filter(c -> containerId.equals(c.containerId()))
                        .map(MirrorTraffic.Cursor::until).orElse(null);
                String log = engine.timestampedLogs(mirror.container(), after);
                MirrorLog.Summary read = MirrorLog.read(log, after, AccessLog.DEADLINE);
                while (true) {
                    if (read.empty()) {
                        return;
                    }
                    try {
                        store.append(stream, version, List.of(new MirrorLogRead(domain, project, mirror.container(),
                                        containerId, read.until(), read.images(), read.traffic(), read.skipped(),
                                        read.cut())),
                                EventMetadata.local(runId, commandLine, LoVersion.current()));
                        break;
                    } catch (WrongExpectedVersionException e) {
                        if (++conflicts > MAX_CONFLICTS) {
                            return;  // the next read goes on from what the others recorded
                        }
                        StreamSlice since = store.readStreamSince(stream, version);
                        version = since.version();
                        Counted counted = counted(since, mirror.container(), containerId);
                        if (counted.otherContainer()) {
                            return;  // another reader already read a newer container of this name
                        }
                        if (counted.until() != null && (after == null || counted.until().isAfter(after))) {
                            // count only the lines after those the other reader recorded
                            after = counted.until();
                            read = MirrorLog.read(log, after, AccessLog.DEADLINE);
                        }
                    }
                }
                if (!read.cut() && log.length() < 8 * 1024 * 1024) {
                    return;
                }
            }
        } catch (EngineException e) {
            // the figures stay as the last read left them; usage reports the engine's state itself
        }
    }

    /**
     * What this machine's other readers recorded of a mirror's log in the events they appended meanwhile.
     *
     * @param until          the last line they recorded of this read's container, null when none of them
     *                       read it (another machine's mirror of the same name, for instance)
     * @param otherContainer one of them read another container under the mirror's name: this read's is gone
     */
    record Counted(Instant until, boolean otherContainer) {
    }

    static Counted counted(StreamSlice since, String mirror, String containerId) {
        Instant until = null;
        for (StoredEvent stored : since.events()) {
            if (!(stored.event() instanceof MirrorLogRead read) || !mirror.equals(read.mirror())
                    || read.until() == null) {
                continue;
            }
            if (!containerId.equals(read.containerId())) {
                return new Counted(null, true);
            }
            if (until == null || read.until().isAfter(until)) {
                until = read.until();
            }
        }
        return new Counted(until, false);
    }
}
