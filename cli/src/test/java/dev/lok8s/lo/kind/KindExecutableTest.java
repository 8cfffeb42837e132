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
}
