package dev.lok8s.lo.store;

import dev.lok8s.lo.events.EventMetadata;
import dev.lok8s.lo.events.NodeConnected;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * One writer process of {@link StoreProcessesIT}: appends {@code own} events to its own stream and
 * {@code shared} events to one stream all processes share, each with the version it just read
 * (retrying on WrongExpectedVersion). Prints one summary line; exit code 0 when all were written.
 * Args: NAME OWN SHARED; the store from the environment ({@link TestStore#childEnvironment}).
 */
public final class StoreProcessMain {

    public static void main(String[] args) throws Exception {
        String name = args[0];
        int own = Integer.parseInt(args[1]);
        int shared = Integer.parseInt(args[2]);
        javax.sql.DataSource ds = StoreEngine.fromEnvironment();
        // like Agroal's pool in the app: keep a connection so this process's database stays open while it works
        Connection keeper = RetryPolicy.DEFAULT.run("open", ds::getConnection);
        EventStore store = TestStore.eventStore(ds);
        EventMetadata meta = EventMetadata.local(null, "StoreProcessMain " + name, "it");
        int conflicts = 0;
        int ownDone = 0;
        int sharedDone = 0;
        while (ownDone < own || sharedDone < shared) {
            if (ownDone < own) {
                store.append("project-" + name, ownDone == 0 ? ExpectedVersion.NO_STREAM : ownDone,
                        List.of(event(name, name + "-own-" + ownDone)), meta);
                ownDone++;
            }
            if (sharedDone < shared) {
                while (true) {
                    int version = store.readStream("network-shared").size();
                    try {
                        store.append("network-shared", version, List.of(event(name, name + "-shared-" + sharedDone)), meta);
                        break;
                    } catch (WrongExpectedVersionException e) {
                        conflicts++;
                    }
                }
                sharedDone++;
            }
            if ((ownDone + sharedDone) % 10 == 0) {
                System.out.println("progress " + name + " own=" + ownDone + " shared=" + sharedDone
                        + " retried=" + RetryCounter.snapshot());
            }
        }
        try {
            keeper.close();
        } catch (SQLException ignored) {
            // broken because the serving process went away: nothing to close
        }
        System.out.println("done " + name + " own=" + ownDone + " shared=" + sharedDone + " conflicts=" + conflicts
                + " retried=" + RetryCounter.snapshot());
    }

    private static NodeConnected event(String name, String node) {
        return new NodeConnected("it.dev", name, node, "lok8s-it", null);
    }
}
