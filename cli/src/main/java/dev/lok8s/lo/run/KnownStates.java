package dev.lok8s.lo.run;

import dev.lok8s.lo.events.Streams;
import dev.lok8s.lo.reconcile.KnownState;
import dev.lok8s.lo.events.LoEvent;
import dev.lok8s.lo.plan.RegistryPlan;
import dev.lok8s.lo.store.EventStore;

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
        List<LoEvent> events = new ArrayList<>();
        store.readStreamOfThisMachine(Streams.project(plan.project())).forEach(e -> events.add(e.event()));
        if (plan.shared()) {
            store.readStreamOfThisMachine(Streams.network(plan.sharedNetwork().name()))
                    .forEach(e -> events.add(e.event()));
        }
        return KnownStateFold.fold(plan.project(), events);
    }
}
