package dev.lok8s.lo.reconcile;

import dev.lok8s.lo.observe.MachineSnapshot;

import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * The machine as a run has changed it so far: observed once, when the first step is decided (so a
 * machine that cannot be looked at fails that step, and the run records it like any other failure),
 * then updated by each action with what it did instead of being observed again. Steps run in parallel.
 */
final class RunSnapshot {

    private final Supplier<MachineSnapshot> observe;
    private MachineSnapshot snapshot;

    RunSnapshot(Supplier<MachineSnapshot> observe) {
        this.observe = observe;
    }

    synchronized MachineSnapshot current() {
        if (snapshot == null) {
            snapshot = observe.get();
        }
        return snapshot;
    }

    synchronized void update(UnaryOperator<MachineSnapshot> change) {
        snapshot = change.apply(current());
    }
}
