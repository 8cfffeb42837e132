package dev.lok8s.lo.store;

import dev.lok8s.lo.events.EventMetadata;
import dev.lok8s.lo.events.LoEvent;
import dev.lok8s.lo.events.NetworkCreated;
import dev.lok8s.lo.plan.Scope;
import dev.lok8s.lo.events.RunCompleted;
import dev.lok8s.lo.events.RunStarted;
import dev.lok8s.lo.events.StepCompleted;
import dev.lok8s.lo.events.StepOutcome;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Seeds a store for bench/api-bench.sh: StoreBench's 1,000-per-append mix over 100 domains, plus
 * 100 project networks and 200 runs of 4 events, to exactly {@code total} events. Args: DIR [TOTAL].
 */
public final class ApiBenchSeed {

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int total = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
        try (StoreBench.Bench b = new StoreBench.Bench(StoreBench.fresh(dir))) {
            long t0 = System.nanoTime();
            List<LoEvent> extra = new ArrayList<>();
            for (int p = 0; p < 100; p++) {
                extra.add(new NetworkCreated("d" + p + ".lok8s.dev", "p" + p, "p" + p, "10.126." + p + ".0/24",
                        Scope.PROJECT));
            }
            for (int r = 0; r < 200; r++) {
                UUID run = UUID.randomUUID();
                String domain = "d" + (r % 100) + ".lok8s.dev";
                extra.add(new RunStarted(run, "provision", domain, "p" + (r % 100), "h", 1, "bench-host"));
                extra.add(new StepCompleted(run, domain, "p" + (r % 100), "network", StepOutcome.created, 40 + r));
                extra.add(new StepCompleted(run, domain, "p" + (r % 100), "registry-build", StepOutcome.created, 900 + r));
                extra.add(new RunCompleted(run, domain, "p" + (r % 100), 1000 + r));
            }
            StoreBench.seed(b.store, total - extra.size(), 100);
            b.store.append("bench-extra", ExpectedVersion.NO_STREAM, extra,
                    EventMetadata.local(null, "bench seed", "bench"));
            System.out.printf("seeded %,d events in %.0f s (head %d)%n", total, (System.nanoTime() - t0) / 1e9,
                    b.store.headPosition());
        }
    }
}
