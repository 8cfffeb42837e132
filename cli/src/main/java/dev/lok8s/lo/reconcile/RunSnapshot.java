package dev.lok8s.lo.reconcile;

import dev.lok8s.lo.observe.MachineSnapshot;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * The machine as a run has changed it so far: observed once, when the first step is decided (so a
 * machine that cannot be looked at fails that step, and the run records it like any other failure),
 * then updated by each action with what it did instead of being observed again. Steps run in parallel.
 * The rules decide against {@link #current()}; the actions {@link #update} it.
 */
public final class RunSnapshot {

    private final Supplier<MachineSnapshot> observe;
    private MachineSnapshot snapshot;
    /** Registry containers this run created, replaced or started: verification waits only for these. */
    private final Set<String> started = ConcurrentHashMap.newKeySet();

    public RunSnapshot(Supplier<MachineSnapshot> observe) {
        this.observe = observe;
    }

    public synchronized MachineSnapshot current() {
        if (snapshot == null) {
            snapshot = observe.get();
        }
        return snapshot;
    }

    public synchronized void update(UnaryOperator<MachineSnapshot> change) {
        snapshot = change.apply(current());
    }

    /** Records that this run created, replaced or started the registry container. */
    void started(String container) {
        started.add(container);
    }

    /** The registry containers this run created, replaced or started so far. */
    public Set<String> startedThisRun() {
        return Set.copyOf(started);
    }
}
