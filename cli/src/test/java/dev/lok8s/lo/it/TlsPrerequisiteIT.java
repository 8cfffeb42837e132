package dev.lok8s.lo.it;

import dev.lok8s.lo.spec.SpecBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.lok8s.lo.it.TestDocker.containers;
import static dev.lok8s.lo.it.TestDocker.networks;
import static dev.lok8s.lo.it.TestDocker.volumes;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * TLS on without its prerequisite: lo provision stops before any change (no network, container,
 * volume, certificate or certs.d file), says to run mkcert -install, and records the refused
 * attempt; lo trust explains and will not run mkcert without consent. Installs no CA.
 */
class TlsPrerequisiteIT {

    private static final String TEST_ID = "tl-pre";

    @RegisterExtension
    static final DockerCleanup DOCKER = DockerCleanup.forTest(TEST_ID);

    @TempDir
    static Path temp;

    static LoCli lo;
    static Path project;
    static Path emptyCaRoot;
    static Path noMkcertPath;

    @BeforeAll
    static void setUp() throws IOException {
        lo = LoCli.forTest(TEST_ID, temp.resolve("state"));
        project = Files.createDirectories(temp.resolve("project"));
        SpecBuilder.named("lotest-tlpre").network("lotest-tlpre", "10.213.172.0/24").tls(true).shared(false)
                .writeIn(project);
        emptyCaRoot = Files.createDirectories(temp.resolve("caroot-empty"));
        // A PATH with the usual tools but no mkcert: a directory of symlinks to what lo's children need.
        noMkcertPath = Files.createDirectories(temp.resolve("bin-without-mkcert"));
    }

    @Test
    void withoutACaProvisionFailsFastAndChangesNothing() {
        LoCli.Result result = lo.env("CAROOT", emptyCaRoot.toString()).env("PATH", System.getenv("PATH"))
                .run(project, "provision", "-f", "cluster.lok8s.yaml");

        assertThat(result.exitCode()).as("exit code (refused) of %s", result).isEqualTo(2);
        assertThat(result.stderr()).as("message")
                .contains("spec.registries.tls is true but mkcert's CA was not found in " + emptyCaRoot)
                .contains("run 'mkcert -install' (or 'lo trust') once")
                .contains("lo cannot do it for you");
        assertNothingChanged();
        assertRejectionRecorded("mkcert's CA was not found");
    }

    @Test
    void withoutMkcertProvisionFailsFastAndChangesNothing() {
        LoCli.Result result = lo.env("CAROOT", emptyCaRoot.toString()).env("PATH", noMkcertPath.toString())
                .run(project, "provision", "-f", "cluster.lok8s.yaml");

        assertThat(result.exitCode()).as("exit code (refused) of %s", result).isEqualTo(2);
        assertThat(result.stderr()).as("message").contains("mkcert was not found on the PATH");
        assertNothingChanged();
        assertRejectionRecorded("mkcert was not found on the PATH");
    }

    @Test
    void aDryRunWithoutMkcertShowsTheReasonTheRunIsRefusedWith() {
        LoCli.Result result = lo.env("CAROOT", emptyCaRoot.toString()).env("PATH", noMkcertPath.toString())
                .run(project, "provision", "-f", "cluster.lok8s.yaml", "--dry-run");

        assertThat(result.exitCode()).as("exit code of %s", result).isZero();
        List<String> refusals = result.stdout().lines().filter(l -> l.trim().startsWith("refuse")).toList();
        assertThat(refusals).as("refused where the CA is needed, in %s", result.stdout()).hasSize(2)
                .allSatisfy(l -> assertThat(l).contains("mkcert was not found on the PATH"));
        assertThat(result.stdout()).as("not a CA missing: mkcert itself is").doesNotContain("mkcert's CA is missing");
        assertNothingChanged();
    }

    @Test
    void trustWithoutATerminalOrYesExplainsAndDoesNotRunMkcert() {
        Path caRoot = temp.resolve("caroot-trust-refused");
        LoCli.Result result = lo.env("CAROOT", caRoot.toString()).env("PATH", System.getenv("PATH"))
                .run(project, "trust");

        assertThat(result.exitCode()).as("exit code of %s", result).isEqualTo(2);
        assertThat(result.stdout()).as("explanation")
                .contains("mkcert -install")
                .contains("system trust store")
                .contains("needs your consent")
                .contains("restart the Docker daemon");
        assertThat(result.stderr()).as("why it did not run").contains("there is no terminal to ask on")
                .contains("lo trust --yes");
        assertThat(caRoot).as("mkcert did not run: no CA created").doesNotExist();
    }

    @Test
    void trustWithoutMkcertSaysHowToInstallIt() {
        LoCli.Result result = lo.env("CAROOT", emptyCaRoot.toString()).env("PATH", noMkcertPath.toString())
                .run(project, "trust", "--yes");

        assertThat(result.exitCode()).as("exit code of %s", result).isEqualTo(2);
        assertThat(result.stderr()).as("message").contains("mkcert was not found on the PATH: install it");
    }

    private static void assertNothingChanged() {
        String label = "dev.lok8s.test=" + TEST_ID;
        assertThat(networks(label)).as("networks").isEmpty();
        assertThat(containers(label)).as("containers").isEmpty();
        assertThat(containers("dev.lok8s.test.id=" + TEST_ID)).as("kind nodes").isEmpty();
        assertThat(volumes(label)).as("volumes").isEmpty();
        assertThat(project.resolve(".secrets")).as("no certificate written").doesNotExist();
        assertThat(project.resolve(".containerd")).as("no certs.d written").doesNotExist();
        assertThat(emptyCaRoot).as("the CA directory is left alone").isEmptyDirectory();
    }

    private static void assertRejectionRecorded(String reason) {
        LoCli.Result runs = lo.env("PATH", System.getenv("PATH")).run(project, "runs");
        assertThat(runs.exitCode()).as("lo runs: %s", runs).isZero();
        assertThat(runs.stdout().lines().filter(l -> l.contains("rejected") && l.contains(reason)))
                .as("a rejected provision naming the reason, in %s", runs.stdout()).isNotEmpty();
    }
}
