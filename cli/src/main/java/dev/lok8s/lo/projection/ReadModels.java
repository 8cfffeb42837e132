package dev.lok8s.lo.projection;

import dev.lok8s.lo.machine.Machine;
import dev.lok8s.lo.store.EventStore;

import javax.sql.DataSource;

/**
 * The read models of one store as one machine asks them: the way the rest of lo reaches the
 * read-model tables (only this package knows them; {@link Projector} fills them).
 */
public final class ReadModels {

    private final EventStore store;
    private final DataSource dataSource;
    private final Machine machine;

    private ReadModels(EventStore store) {
        this.store = store;
        this.dataSource = store.dataSource();
        this.machine = store.machine();
    }

    /** The read models kept beside {@code store}'s log, as its machine sees them. */
    public static ReadModels of(EventStore store) {
        return new ReadModels(store);
    }

    /** Runs and their steps; only this machine's runs' processes can be checked for liveness. */
    public RunHistory runs() {
        return new RunHistory(dataSource, machine.id(), ProcessLiveness.LOCAL);
    }

    /** The machines that wrote to the store, for {@code --host}. */
    public Machines machines() {
        return new Machines(dataSource, machine);
    }

    /** Known subnet conflicts of a spec on this machine. */
    public SubnetMismatches subnetMismatches() {
        return new SubnetMismatches(dataSource, machine.id());
    }

    /** This machine's current subnet mismatches (the open ones, from the read models), and every detection in the log. */
    public SubnetMismatchReport subnetMismatchReport() {
        return new SubnetMismatchReport(store, dataSource);
    }

    /** This machine's projects and networks. */
    public ProjectNetworks projectNetworks() {
        return new ProjectNetworks(dataSource, machine.id());
    }

    /** This machine's registries, networks and their users, as the log records them. */
    public RegistryLog registries() {
        return new RegistryLog(dataSource, machine.id());
    }

    /** Counts and durations of runs on every machine, for metrics. */
    public RunStats runStats() {
        return new RunStats(dataSource);
    }

    /** What this machine's pull-through mirrors served: last pulls, hits and misses (MirrorLogRead). */
    public MirrorTraffic mirrorTraffic() {
        return new MirrorTraffic(dataSource, machine.id());
    }

    /** What lo registry warm put into this machine's pull-through mirrors that they still hold. */
    public WarmedImages warmedImages() {
        return new WarmedImages(dataSource, machine.id());
    }
}
