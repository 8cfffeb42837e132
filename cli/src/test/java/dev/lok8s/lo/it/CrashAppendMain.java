package dev.lok8s.lo.it;

import dev.lok8s.lo.events.EventMetadata;
import dev.lok8s.lo.events.NodeConnected;
import dev.lok8s.lo.store.EventStore;
import dev.lok8s.lo.store.ExpectedVersion;
import org.h2.jdbcx.JdbcDataSource;

import java.util.List;

/**
 * The writer {@link CrashStoreIT} kills: appends batches of three events to five streams, forever,
 * printing each batch number once it is committed. Args: URL ROUND
 */
public final class CrashAppendMain {

    public static void main(String[] args) {
        JdbcDataSource ds = dev.lok8s.lo.store.TempStore.dataSource(args[0]);
        EventStore store = new EventStore(ds);
        String round = args[1];
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
