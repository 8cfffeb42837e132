package dev.lok8s.lo.it;

import dev.lok8s.lo.store.TestStore;
import dev.lok8s.lo.events.EventMetadata;
import dev.lok8s.lo.events.NodeConnected;
import dev.lok8s.lo.store.EventStore;
import dev.lok8s.lo.store.ExpectedVersion;
import dev.lok8s.lo.store.StoreEngine;

import java.util.List;

/**
 * The writer {@link CrashStoreIT} kills: appends batches of three events to five streams, forever,
 * printing each batch number once it is committed. Args: ROUND; the store from the environment
 * ({@code TestStore.childEnvironment}).
 */
public final class CrashAppendMain {

    public static void main(String[] args) {
        EventStore store = TestStore.eventStore(StoreEngine.fromEnvironment());
        String round = args[0];
        EventMetadata meta = EventMetadata.local(null, "CrashAppendMain " + round, "it");
        for (int batch = 0; ; batch++) {
            String tag = "r" + round + "-b" + batch;
            store.append("crash-" + (batch % 5), ExpectedVersion.ANY, List.of(event(tag, 0), event(tag, 1), event(tag, 2)),
                    meta);
            System.out.println("committed " + tag);
            System.out.flush();
        }
    }

    private static NodeConnected event(String tag, int i) {
        return new NodeConnected("crash.test", "crash", tag + "-" + i, "lotest-crs", null);
    }
}
