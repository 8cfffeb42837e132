package dev.lok8s.lo.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One run per project at a time. While a provision holds the project's lease (its kind is slow),
 * a second provision names the holder and exits 4; with --wait it waits and then succeeds; queries
 * such as {@code lo runs} answer meanwhile. (A dead holder's lease being taken over is checked by
 * every case of {@link CrashMatrixIT}.)
 */
class LeaseIT {

    static final String ID = "crl";
    static final String DOMAIN = "crl.lok8s.test";

    @RegisterExtension
    static final DockerCleanup DOCKER = DockerCleanup.forTest(ID);

    @TempDir
    static Path root;

    @Test
    void aSecondProvisionOfTheSameProjectNamesTheHolderOrWaitsForIt() throws Exception {
        Path slowKind = root.resolve("slow-kind");
        Files.writeString(slowKind, """
                #!/usr/bin/env bash
                if [[ "$1 $2" == "create cluster" ]]; then sleep 25; fi
                exec %s "$@"
                """.formatted(LoCli.repoRoot().resolve("src/test/kind/kind")));
        Files.setPosixFilePermissions(slowKind, PosixFilePermissions.fromString("rwxr-xr-x"));
        LoCli lo = LoCli.forTest(ID, root.resolve("state")).env("LO_KIND_PATH", slowKind.toString())
                .env("LO_MIRROR_WAIT", "1s");
        Path dir = root.resolve("project");
        Path spec = CrashFixture.writeSpec(dir, "crl", DOMAIN, "lotest-crl", "10.213.157.0/24", null, null,
                "http://10.213.157.99:5000");

        Process holder = lo.start(dir, "provision", "-f", spec.toString());
        var watch = new CrashFixture.StderrWatch(holder);
        watch.await(l -> l.contains("ok certs-dir"), 180);

        long t0 = System.nanoTime();
        LoCli.Result busy = lo.run(dir, "provision", "-f", spec.toString());
        assertThat(busy.exitCode()).as("second provision while the first holds the lease:\n%s", busy).isEqualTo(4);
        assertThat(busy.stderr()).as("names the holder")
                .containsPattern("project 'crl' is being changed by run [0-9a-f]{8} \\(pid " + holder.pid()
                        + " on \\S+, since \\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z\\): wait for it to finish, or rerun with --wait");
        LoCli.Result runs = lo.run(dir, "runs", DOMAIN);
        long queried = (System.nanoTime() - t0) / 1_000_000_000;
        assertThat(runs.exitCode()).as(runs.toString()).isZero();
        assertThat(runs.stdout()).as("lo runs answers while the provision runs").contains("running");
        assertThat(holder.isAlive()).as("the holder still runs: the refusal and the query did not wait for it (%d s)",
                queried).isTrue();

        Process waiter = lo.start(dir, "provision", "--wait", "-f", spec.toString());
        LoCli.Result first = lo.await(holder);
        assertThat(first.exitCode()).as("the holder completes:\n%s%s", watch.rest(), first).isZero();
        LoCli.Result waited = lo.await(waiter);
        assertThat(waited.exitCode()).as("the --wait provision:\n%s", waited).isZero();
        assertThat(waited.stderr()).as("it said whom it waited for").contains("waiting for run ")
                .contains("pid " + holder.pid());

        List<CrashFixture.Event> events = CrashFixture.events(root.resolve("state"));
        assertThat(events.stream().filter(e -> e.type().equals("RunStarted")).count()).as("two runs").isEqualTo(2);
        assertThat(events.stream().filter(e -> e.type().equals("RunCompleted")).count()).as("both completed").isEqualTo(2);
        assertThat(events.stream().map(CrashFixture.Event::type)).as("no lease was taken over: its holder was alive")
                .doesNotContain("LeaseTakenOver");
        assertThat(CrashFixture.query(root.resolve("state"), "SELECT COUNT(*) FROM leases")).containsExactly(List.of(0L));
    }
}
