package dev.lok8s.lo.projection;

import dev.lok8s.lo.events.EventMetadata;
import dev.lok8s.lo.events.LoEvent;
import dev.lok8s.lo.events.NetworkCreated;
import dev.lok8s.lo.events.RunCompleted;
import dev.lok8s.lo.events.RunRejected;
import dev.lok8s.lo.events.RunStarted;
import dev.lok8s.lo.events.SubnetMismatchDetected;
import dev.lok8s.lo.plan.Scope;
import dev.lok8s.lo.store.EventStore;
import dev.lok8s.lo.store.ExpectedVersion;
import dev.lok8s.lo.store.TempStore;
import dev.lok8s.lo.store.TestStore;

import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * {@code GET /api/mismatches}' current list over a log with many refusals: times
 * {@code SubnetMismatchReport.current()} (what the resource calls) and prints the numbers; no assertion.
 * Run by bench/mismatch-bench.sh: {@code java -cp ... MismatchReportBench REFUSALS ROUNDS}.
 */
public final class MismatchReportBench {

    public static void main(String[] args) throws Exception {
        int refusals = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        try (TempStore temp = TempStore.create()) {
            EventStore store = TestStore.eventStore(temp.dataSource());
            long seedStart = System.nanoTime();
            seed(store, refusals);
            System.out.printf("seeded %d events (%d refusals, 100 projects, half fixed later) in %.1f s%n",
                    store.headPosition(), refusals, (System.nanoTime() - seedStart) / 1e9);
            SubnetMismatchReport report = ReadModels.of(store).subnetMismatchReport();
            long firstStart = System.nanoTime();
            int findings = report.current().size();
            double first = (System.nanoTime() - firstStart) / 1e6;
            double[] ms = new double[rounds];
            for (int i = 0; i < rounds; i++) {
                long start = System.nanoTime();
                report.current();
                ms[i] = (System.nanoTime() - start) / 1e6;
            }
            Arrays.sort(ms);
            System.out.printf("current(): %d findings; first %.1f ms, median %.2f ms, max %.2f ms over %d rounds%n",
                    findings, first, ms[rounds / 2], ms[rounds - 1], rounds);
        }
    }

    /**
     * 100 projects on their own subnets, one shared network; each refusal a project asking another
     * shared subnet; the first half of the projects then complete a run (fixed), the rest stay refused.
     */
    static void seed(EventStore store, int refusals) {
        append(store, "network-lok8s-registries", null,
                new NetworkCreated("p0.dev", "p0", "lok8s-registries", "10.125.200.0/24", Scope.SHARED));
        for (int p = 0; p < 100; p++) {
            append(store, "project-p" + p, null, new NetworkCreated("p" + p + ".dev", "p" + p, "p" + p,
                    "10.126." + p + ".0/24", Scope.PROJECT));
        }
        for (int i = 0; i < refusals; i++) {
            int p = i % 100;
            UUID run = UUID.randomUUID();
            append(store, "run-" + run, EventMetadata.local(run, "lo provision", "bench"),
                    new SubnetMismatchDetected("p" + p + ".dev", "p" + p, "lok8s-registries", "10.125.200.0/24",
                            "10.0." + p + ".0/24", null),
                    new RunRejected(run, "p" + p + ".dev", "p" + p, "provision", "refused"));
        }
        for (int p = 0; p < 50; p++) {
            UUID run = UUID.randomUUID();
            append(store, "run-" + run, EventMetadata.local(run, "lo provision", "bench"),
                    new RunStarted(run, "provision", "p" + p + ".dev", "p" + p, "plan", 1, EventMetadata.hostName()),
                    new RunCompleted(run, "p" + p + ".dev", "p" + p, 10));
        }
    }

    private static void append(EventStore store, String stream, EventMetadata meta, LoEvent... events) {
        store.append(stream, ExpectedVersion.ANY, List.of(events), meta);
    }
}
