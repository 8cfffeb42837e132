package dev.lok8s.lo.api;

import dev.lok8s.lo.events.CertsDirWritten;
import dev.lok8s.lo.events.EventMetadata;
import dev.lok8s.lo.events.LoEvent;
import dev.lok8s.lo.events.NetworkAdopted;
import dev.lok8s.lo.events.NetworkCreated;
import dev.lok8s.lo.plan.Scope;
import dev.lok8s.lo.events.NodeConnected;
import dev.lok8s.lo.events.RunCompleted;
import dev.lok8s.lo.events.RunFailed;
import dev.lok8s.lo.events.RunRejected;
import dev.lok8s.lo.events.RunStarted;
import dev.lok8s.lo.events.StepCompleted;
import dev.lok8s.lo.events.StepOutcome;
import dev.lok8s.lo.events.SubnetMismatchDetected;
import dev.lok8s.lo.store.EventStore;
import dev.lok8s.lo.store.ExpectedVersion;
import io.quarkus.test.junit.QuarkusTestProfile;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A log with known positions (1..43), appended through the real EventStore:
 * <pre>
 *  1-8   run R1 provision lok8s.dev (project lok8s): shared + project network, a node on both, 2 steps, completed
 *  9-12  run R2 provision 50.lok8s.dev (p50): network, 1 step, failed
 *  13-14 run R3 other.dev (other): shared network wanted at 10.0.0.0/24 -> SubnetMismatchDetected, rejected
 *  15    project dup adopts a network on lok8s's subnet 10.125.125.0/24
 *  16-18 project fixed: a mismatch detected, then run R5 completed (so it is only historical)
 *  19-43 25 x CertsDirWritten in page.dev (for paging)
 * </pre>
 */
final class ApiFixture {

    static final UUID R1 = UUID.fromString("1a2b3c4d-1111-4222-8333-444455556666");
    static final UUID R2 = UUID.fromString("1a2b9999-1111-4222-8333-444455556666");
    static final UUID R3 = UUID.fromString("3c3c3c3c-1111-4222-8333-444455556666");
    static final UUID R4 = UUID.fromString("4d4d4d4d-1111-4222-8333-444455556666");
    static final UUID R5 = UUID.fromString("5e5e5e5e-1111-4222-8333-444455556666");
    static final long HEAD = 43;

    private ApiFixture() {
    }

    /** A fresh store directory under target/ and HTTP switched on, on a random port. */
    public static class Profile implements QuarkusTestProfile {
        // a new directory per test JVM: never a store another run left behind
        static final Path DIR = Path.of("target", "lo-api-store", Long.toString(System.currentTimeMillis()))
                .toAbsolutePath();

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("lo.state-dir", DIR.toString(), "quarkus.http.host-enabled", "true",
                    "quarkus.http.test-port", "0");
        }
    }

    static void seed(EventStore store) {
        if (store.headPosition() != 0) {
            throw new IllegalStateException("the API test store is not empty: " + store.headPosition());
        }
        long pid = ProcessHandle.current().pid();
        String host = EventMetadata.hostName();
        EventMetadata m1 = EventMetadata.local(R1, "lo provision lok8s.dev", "test");
        append(store, "run-" + R1, m1, new RunStarted(R1, "provision", "lok8s.dev", "lok8s", "h1", pid, host));
        append(store, "network-lok8s-registries", m1,
                new NetworkCreated("lok8s.dev", null, "lok8s-registries", "10.125.200.0/24", Scope.SHARED));
        append(store, "project-lok8s", m1,
                new NetworkCreated("lok8s.dev", "lok8s", "lok8s", "10.125.125.0/24", Scope.PROJECT),
                new NodeConnected("lok8s.dev", "lok8s", "lok8s-control-plane", "lok8s", "10.125.125.200"),
                new NodeConnected("lok8s.dev", "lok8s", "lok8s-control-plane", "lok8s-registries", null));
        append(store, "run-" + R1, m1,
                new StepCompleted(R1, "lok8s.dev", "lok8s", "network", StepOutcome.created, 120),
                new StepCompleted(R1, "lok8s.dev", "lok8s", "registry-build", StepOutcome.created, 880),
                new RunCompleted(R1, "lok8s.dev", "lok8s", 1500));

        EventMetadata m2 = EventMetadata.local(R2, "lo provision 50.lok8s.dev", "test");
        append(store, "run-" + R2, m2, new RunStarted(R2, "provision", "50.lok8s.dev", "p50", "h2", pid, host));
        append(store, "project-p50", m2,
                new NetworkCreated("50.lok8s.dev", "p50", "p50", "10.125.50.0/24", Scope.PROJECT));
        append(store, "run-" + R2, m2,
                new StepCompleted(R2, "50.lok8s.dev", "p50", "network", StepOutcome.created, 50),
                new RunFailed(R2, "50.lok8s.dev", "p50", "registry-build", "image not found"));

        EventMetadata m3 = EventMetadata.local(R3, "lo provision other.dev", "test");
        append(store, "run-" + R3, m3,
                new SubnetMismatchDetected("other.dev", "other", "lok8s-registries", null, "10.0.0.0/24", null),
                new RunRejected(R3, "other.dev", "other", "provision", "error: registry network 'lok8s-registries'"
                        + " exists with subnet 10.125.200.0/24, expected 10.0.0.0/24"));

        append(store, "project-dup", EventMetadata.local(null, "lo provision dup.dev", "test"),
                new NetworkAdopted("dup.dev", "dup", "dup", "10.125.125.0/24", Scope.PROJECT));

        append(store, "run-" + R4, EventMetadata.local(R4, "lo provision fixed.dev", "test"),
                new SubnetMismatchDetected("fixed.dev", "fixed", "lok8s-registries", null, "10.9.0.0/24", null));
        EventMetadata m5 = EventMetadata.local(R5, "lo provision fixed.dev", "test");
        append(store, "run-" + R5, m5,
                new RunStarted(R5, "provision", "fixed.dev", "fixed", "h5", pid, host),
                new RunCompleted(R5, "fixed.dev", "fixed", 10));

        for (int i = 0; i < 25; i++) {
            append(store, "project-page", EventMetadata.local(null, "test", "test"),
                    new CertsDirWritten("page.dev", "page", "/certs.d/" + i, List.of("hosts.toml")));
        }
        if (store.headPosition() != HEAD) {
            throw new IllegalStateException("fixture head is " + store.headPosition() + ", expected " + HEAD);
        }
    }

    private static void append(EventStore store, String stream, EventMetadata meta, LoEvent... events) {
        store.append(stream, ExpectedVersion.ANY, List.of(events), meta);
    }
}
