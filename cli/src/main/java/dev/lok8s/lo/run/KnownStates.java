package dev.lok8s.lo.run;

import dev.lok8s.lo.events.Streams;
import dev.lok8s.lo.reconcile.KnownState;
import dev.lok8s.lo.events.LoEvent;
import dev.lok8s.lo.plan.RegistryPlan;
import dev.lok8s.lo.store.EventStore;
import dev.lok8s.lo.store.StreamSlice;

import java.util.ArrayList;
import java.util.List;

/**
 * What this machine's log knows of a project and its shared network, for the rules of a provision or
 * a teardown: the project's and the network's streams, folded by {@link KnownStateFold}.
 */
public final class KnownStates {

    private final EventStore store;

    public KnownStates(EventStore store) {
        this.store = store;
    }

    public KnownState of(RegistryPlan plan) {
        return of(plan, new RunStreams());
    }

    /** What the log knows, noting in {@code streams} the version of each stream read (a run's appends expect it). */
    public KnownState of(RegistryPlan plan, RunStreams streams) {
        List<LoEvent> events = new ArrayList<>();
        read(Streams.project(plan.project()), streams, events);
        if (plan.shared()) {
            read(Streams.network(plan.sharedNetwork().name()), streams, events);
        }
        FaultInjection.maybePause("known-state-read");
        return KnownStateFold.fold(plan.project(), events);
    }

    private void read(String streamId, RunStreams streams, List<LoEvent> into) {
        StreamSlice slice = store.readStreamSince(streamId, 0);
        streams.observed(streamId, slice.version());
        slice.events().forEach(e -> into.add(e.event()));
    }
}
