package dev.lok8s.lo.kind;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Runs real child processes: a small shell script stands in for kind and records how it was called. */
class KindExecutableTest {

    @TempDir
    Path bin;

    private Path fakeKind(String body) throws Exception {
        Path kind = bin.resolve("kind");
        Files.writeString(kind, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(kind, PosixFilePermissions.fromString("rwxr-xr-x"));
        return kind;
    }

    @Test
    void isFoundOnThePathOfTheGivenEnvironment() throws Exception {
        Path kind = fakeKind("exit 0");
        var executable = new KindExecutable(null, Map.of("PATH", "/nonexistent:" + bin), 10);
        assertThat(executable.locate()).contains(kind);
    }

    @Test
    void missingKindSaysSoAndHowToFixIt() {
        var executable = new KindExecutable(null, Map.of("PATH", bin.toString()), 10);
        assertThatThrownBy(executable::clusters)
                .isInstanceOf(KindException.class)
                .hasMessageContaining("kind executable not found on the PATH")
                .hasMessageContaining("LO_KIND_PATH");
    }

    @Test
    void createPassesTheConfigAndTheNetworkTheWayKindExpects() throws Exception {
        Path record = bin.resolve("record");
        fakeKind("echo \"$@\" > " + record + "; echo \"net=$KIND_EXPERIMENTAL_DOCKER_NETWORK\" >> " + record
                + "; cat \"$6\" >> " + record + "; echo creating");
        var executable = new KindExecutable(null, Map.of("PATH", bin + ":/usr/bin:/bin"), 10);
        List<String> output = new ArrayList<>();

        executable.createCluster("demo", "kind: Cluster\n", "lotest-net", output::add);

        String recorded = Files.readString(record);
        assertThat(recorded).startsWith("create cluster --name demo --config ");
        assertThat(recorded).contains("net=lotest-net").contains("kind: Cluster");
        assertThat(output).containsExactly("creating");
    }

    @Test
    void clustersParsesKindsListing() throws Exception {
        fakeKind("echo alpha; echo beta");
        var executable = new KindExecutable(null, Map.of("PATH", bin.toString()), 10);
        assertThat(executable.clusters()).containsExactly("alpha", "beta");
    }

    @Test
    void aFailureCarriesTheExitCodeAndLastLine() throws Exception {
        fakeKind("echo 'ERROR: node(s) already exist for a cluster with the name \"demo\"'; exit 1");
        var executable = new KindExecutable(null, Map.of("PATH", bin.toString()), 10);
        assertThatThrownBy(() -> executable.deleteCluster("demo", line -> { }))
                .hasMessageContaining("exit code 1")
                .hasMessageContaining("already exist");
    }

    @Test
    void aKindThatHangsRunsIntoTheTimeoutAndIsStoppedWithItsChildren() throws Exception {
        Path pids = bin.resolve("pids");
        // prints, starts a child that would outlive it, and never ends: the old reader waited for EOF for ever
        fakeKind("echo creating; sleep 300 & echo $! > " + pids + "; echo $$ >> " + pids
                + "; while true; do echo still creating; sleep 0.2; done");
        var executable = new KindExecutable(null, Map.of("PATH", bin + ":/usr/bin:/bin"), 1);
        List<String> output = java.util.Collections.synchronizedList(new ArrayList<>());
        try {
            var thrown = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(30),
                    () -> org.junit.jupiter.api.Assertions.assertThrows(KindException.class,
                            () -> executable.createCluster("demo", "kind: Cluster\n", "lotest-net", output::add)),
                    "kind create cluster must give up after its 1 s timeout");
            assertThat(thrown.getMessage()).as("one line naming the setting").doesNotContain("\n")
                    .startsWith("'kind create cluster --name demo --config ")
                    .endsWith("' did not finish within 1 s (lo.kind-timeout-seconds, LO_KIND_TIMEOUT_SECONDS); it was"
                            + " stopped with its child processes: raise the timeout if kind needs longer, or see why"
                            + " it hangs");
            assertThat(output).as("output is forwarded while kind runs").contains("creating");

            List<Long> started = Files.readAllLines(pids).stream().map(String::strip).map(Long::parseLong).toList();
            long deadline = System.nanoTime() + java.time.Duration.ofSeconds(10).toNanos();
            while (System.nanoTime() < deadline
                    && started.stream().anyMatch(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))) {
                Thread.sleep(100);
            }
            assertThat(started).as("kind and the child it started are gone").allSatisfy(pid ->
                    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("pid " + pid).isFalse());
        } finally {
            // never leave the stand-in running, whatever happened above
            if (Files.exists(pids)) {
                for (String pid : Files.readAllLines(pids)) {
                    ProcessHandle.of(Long.parseLong(pid.strip())).ifPresent(ProcessHandle::destroyForcibly);
                }
            }
        }
    }

    @Test
    void aSilentKindThatHangsRunsIntoTheTimeoutToo() throws Exception {
        Path pids = bin.resolve("pids");
        fakeKind("echo $$ > " + pids + "; exec sleep 300");
        var executable = new KindExecutable(null, Map.of("PATH", bin + ":/usr/bin:/bin"), 1);
        try {
            org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(30),
                    () -> assertThatThrownBy(executable::clusters).isInstanceOf(KindException.class)
                            .hasMessageContaining("'kind get clusters' did not finish within 1 s")
                            .hasMessageContaining("lo.kind-timeout-seconds"));
        } finally {
            if (Files.exists(pids)) {
                for (String pid : Files.readAllLines(pids)) {
                    ProcessHandle.of(Long.parseLong(pid.strip())).ifPresent(ProcessHandle::destroyForcibly);
                }
            }
        }
    }
}
