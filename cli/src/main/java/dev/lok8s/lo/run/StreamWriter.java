package dev.lok8s.lo.run;

import dev.lok8s.lo.events.EventMetadata;
import dev.lok8s.lo.events.LoEvent;
import dev.lok8s.lo.events.Streams;
import dev.lok8s.lo.failure.Reason;
import dev.lok8s.lo.reconcile.ConcurrentFacts;
import dev.lok8s.lo.reconcile.StepFailedException;
import dev.lok8s.lo.store.EventStore;
import dev.lok8s.lo.store.StoredEvent;
import dev.lok8s.lo.store.StreamSlice;
import dev.lok8s.lo.store.WrongExpectedVersionException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A run's appends, each expecting the stream's version the run last saw: the version it read before
 * deciding ({@link RunStreams}), then the one it last wrote. When another writer appended in between:
 * <ul>
 *   <li>on the run's own stream, nothing is written and {@link RunStreamConflictException} ends the run
 *   (only the lease holder writes there);</li>
 *   <li>on a project's or shared network's stream, the other writer's events are read and the run's
 *   events decided again against them ({@link ConcurrentFacts}): a fact already recorded is not
 *   repeated, an opposite one fails the step with its reason, the rest is appended after them. Every
 *   later append of the run to that stream is checked against them too.</li>
 * </ul>
 * Appends of one run to one stream are serialised (its steps run in parallel).
 */
public final class StreamWriter implements EventSink {

    /** Conflicts on one append before the step fails: each means another run appended meanwhile. */
    static final int MAX_CONFLICTS = 20;

    private final EventStore store;
    private final EventMetadata meta;
    private final UUID runId;
    private final RunStreams observed;
    private final Map<String, Tracked> streams = new ConcurrentHashMap<>();

    /** What the run knows of one stream: the version it expects, and what other writers appended since its read. */
    private static final class Tracked {
        int version;
        final List<LoEvent> theirs = new ArrayList<>();

        Tracked(int version) {
            this.version = version;
        }
    }

    public StreamWriter(EventStore store, EventMetadata meta, UUID runId, RunStreams observed) {
        this.store = store;
        this.meta = meta;
        this.runId = runId;
        this.observed = observed;
    }

    @Override
    public void append(String streamId, List<LoEvent> events) {
        Tracked stream = streams.computeIfAbsent(streamId, id -> new Tracked(observed.version(id)
                .orElseGet(() -> store.streamVersion(id))));
        synchronized (stream) {
            List<LoEvent> pending = events;
            for (int conflicts = 0; ; ) {
                if (!stream.theirs.isEmpty()) {
                    switch (ConcurrentFacts.resolve(streamId, pending, stream.theirs)) {
                        case ConcurrentFacts.Resolution.Refuse refuse -> throw new StepFailedException(refuse.reason(), false);
                        case ConcurrentFacts.Resolution.Append append -> pending = append.events();
                    }
                    if (pending.isEmpty()) {
                        return;
                    }
                }
                try {
                    stream.version = store.append(streamId, stream.version, pending, meta).streamVersion();
                    return;
                } catch (WrongExpectedVersionException e) {
                    if (streamId.equals(Streams.run(runId))) {
                        throw new RunStreamConflictException(runId, stream.version, e.actual());
                    }
                    if (++conflicts >= MAX_CONFLICTS) {
                        throw new StepFailedException(Reason.of(streamId + " changed " + conflicts
                                + " times while this run was appending to it",
                                "run the command again once the other runs have finished"), false);
                    }
                    StreamSlice since = store.readStreamSince(streamId, stream.version);
                    since.events().stream().map(StoredEvent::event).forEach(stream.theirs::add);
                    stream.version = since.version();
                }
            }
        }
    }
}
