package dev.lok8s.lo.it;

import dev.lok8s.lo.store.StoreEngine;
import dev.lok8s.lo.store.TestPostgres;
import dev.lok8s.lo.store.TestStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A team's store: the packaged lo on two "machines" (two state directories, so two machine ids) writing
 * to one PostgreSQL database, against the real Docker Engine; then the PostgreSQL server stopped in the
 * middle of a provision and started again.
 *
 * <p>Both machines have a project named {@code lok8s} in slot 157. Real machines would each have their
 * own Docker Engine; here they share one, so their specs differ only in what Docker itself needs apart:
 * the network name and the first two octets (10.216.157.0/24 and 10.217.157.0/24, both slot 157, the
 * third octet). What lo keys per project (its name, its lease, its read models, its subnet check) is the
 * same on both, which is what used to collide: while machine A holds the lease of {@code lok8s}, machine
 * B's run of {@code lok8s} must go ahead.
 */
class TeamStoreIT {

    static final String ID_A = "tma";
    static final String ID_B = "tmb";
    static final String ID_PG = "tmp";

    @RegisterExtension
    static final DockerCleanup DOCKER = DockerCleanup.forTest(ID_A, ID_B, ID_PG);

    @TempDir
    static Path root;

    static TestStore store;

    @BeforeAll
    static void open() {
        store = StoreEngine.POSTGRESQL.open();
    }

    @AfterAll
    static void close() throws Exception {
        try {
            TestPostgres.start();
        } finally {
            store.close();
        }
    }

    static LoCli lo(String id) {
        // Both "machines" are on one engine here, so their slot-157 registries need host ports of their own.
        return LoCli.forTest(id, root.resolve(id).resolve("state"))
                .env("LO_HOST_PORT_BASE", Integer.toString(LoCli.TEST_HOST_PORT_BASE + (id.equals(ID_B) ? 100 : 0)))
                .env("QUARKUS_DATASOURCE_POSTGRESQL_JDBC_URL", store.url())
                .env("QUARKUS_DATASOURCE_POSTGRESQL_USERNAME", store.user())
                .env("QUARKUS_DATASOURCE_POSTGRESQL_PASSWORD", store.password())
                .env("LO_MIRROR_WAIT", "1s");
    }

    static Path spec(String id, String cidr) {
        return CrashFixture.writeSpec(root.resolve(id).resolve("project"), "lok8s", "lok8s.test", "lotest-" + id,
                cidr, null, null, "http://" + cidr.replace("0/24", "99") + ":5000");
    }

    static String machineId(String id) throws Exception {
        return Files.readString(root.resolve(id).resolve("state").resolve("machine-id")).strip();
    }

    @Test
    void twoMachinesWithTheSameProjectAndSlotDoNotCollide() throws Exception {
        LoCli a = lo(ID_A);
        LoCli b = lo(ID_B);
        Path specA = spec(ID_A, "10.216.157.0/24");
        Path specB = spec(ID_B, "10.217.157.0/24");

        LoCli.Result upA = a.run(specA.getParent(), "registry", "up", "-f", specA.toString());
        assertThat(upA.exitCode()).as("machine A: registry up\n%s", upA).isZero();
        assertThat(machineId(ID_A)).as("A's machine id").matches("[0-9a-f-]{36}");

        // Machine A is busy with lok8s: a live process of A holds its lease. Machine B's lok8s is another
        // project on another engine: it goes ahead, sees no mismatch, and leaves A's lease alone.
        Process holder = new ProcessBuilder("sleep", "120").start();
        try {
            UUID holderRun = UUID.randomUUID();
            insertLease(machineId(ID_A), "lok8s", holderRun, holder.pid());

            LoCli.Result upB = b.run(specB.getParent(), "registry", "up", "-f", specB.toString());
            assertThat(upB.exitCode()).as("machine B: registry up while A holds lok8s's lease\n%s", upB).isZero();
            assertThat(upB.all()).as("no lease conflict, no subnet mismatch (SubnetMismatches' texts)")
                    .doesNotContain("being changed by").doesNotContain("is already used by project")
                    .doesNotContain("exists with subnet").contains("ok check-subnets");
            assertThat(machineId(ID_B)).isNotEqualTo(machineId(ID_A));
            assertThat(leases()).as("A's lease untouched; B's released").containsExactly(
                    machineId(ID_A) + "|lok8s|" + holderRun);

            LoCli.Result busyA = a.run(specA.getParent(), "registry", "up", "-f", specA.toString());
            assertThat(busyA.exitCode()).as("A itself is still refused by its own live holder\n%s", busyA)
                    .isEqualTo(4);
        } finally {
            holder.destroyForcibly();
        }
        // registry up, not provision: a cluster named lok8s would be a real-looking name on this engine
        LoCli.Result againA = a.run(specA.getParent(), "registry", "up", "-f", specA.toString());
        assertThat(againA.exitCode()).as("A goes ahead once its holder is gone\n%s", againA).isZero();
        assertThat(againA.stderr()).contains("took over the lease");

        for (LoCli machine : List.of(a, b)) {
            String id = machine == a ? ID_A : ID_B;
            LoCli.Result status = machine.run(root.resolve(id).resolve("project"), "registry", "status", "-f",
                    (machine == a ? specA : specB).toString());
            assertThat(status.exitCode()).as("%s: registry status\n%s", id, status).isZero();
            assertThat(status.stdout()).as("%s: its own registries", id).contains("lotest-" + id)
                    .doesNotContain("lotest-" + (machine == a ? ID_B : ID_A));
        }

        LoCli.Result history = a.run(root, "history", "--limit", "500", "-o", "json");
        assertThat(history.exitCode()).as(history.toString()).isZero();
        assertThat(history.stdout()).as("history shows both machines").contains(machineId(ID_A))
                .contains(machineId(ID_B));
        LoCli.Result onlyB = a.run(root, "history", "--limit", "500", "--host", machineId(ID_B).substring(0, 8),
                "-o", "json");
        assertThat(onlyB.exitCode()).as(onlyB.toString()).isZero();
        assertThat(onlyB.stdout()).contains(machineId(ID_B)).doesNotContain(machineId(ID_A));
        LoCli.Result runsB = b.run(root, "runs", "--host", machineId(ID_B), "-o", "json");
        assertThat(runsB.exitCode()).as(runsB.toString()).isZero();
        assertThat(runsB.stdout()).contains(machineId(ID_B)).doesNotContain(machineId(ID_A));
        LoCli.Result unknown = a.run(root, "runs", "--host", "no-such-host");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.stderr().strip()).startsWith("error: --host: no machine named 'no-such-host'")
                .doesNotContain("\n");
    }

    @Test
    void thePostgresqlServerStoppedMidRunFailsOneClearLineAndTheRunResumesOnceItIsBack() throws Exception {
        Path slowKind = root.resolve("slow-kind");
        Files.writeString(slowKind, """
                #!/usr/bin/env bash
                if [[ "$1 $2" == "create cluster" ]]; then sleep 8; fi
                exec %s "$@"
                """.formatted(LoCli.repoRoot().resolve("src/test/kind/kind")));
        Files.setPosixFilePermissions(slowKind, PosixFilePermissions.fromString("rwxr-xr-x"));
        LoCli lo = lo(ID_PG).env("LO_KIND_PATH", slowKind.toString());
        Path spec = CrashFixture.writeSpec(root.resolve(ID_PG).resolve("project"), "lotest-tmp", "tmp.lok8s.test",
                "lotest-tmp-net", "10.218.160.0/24", null, null, "http://10.218.160.99:5000");
        Path dir = spec.getParent();

        Process run = lo.start(dir, "provision", "-f", spec.toString());
        var watch = new CrashFixture.StderrWatch(run);
        watch.await(l -> l.contains("ok certs-dir"), 180);
        TestPostgres.kill();
        LoCli.Result failed;
        try {
            failed = lo.await(run);
        } finally {
            TestPostgres.start();
        }
        String stderr = watch.rest() + failed.stderr();
        assertThat(failed.exitCode()).as("the run with its store gone:\n%s", stderr).isNotZero();
        List<String> errors = stderr.lines().filter(l -> l.startsWith("error:")).toList();
        assertThat(errors).as("one error line:\n%s", stderr).hasSize(1);
        assertThat(errors.getFirst()).as("names the server").contains("127.0.0.1:");

        LoCli.Result resumed = lo.run(dir, "provision", "-f", spec.toString());
        assertThat(resumed.exitCode()).as("the provision once the server is back\n%s", resumed).isZero();
        assertThat(resumed.stderr()).as("it resumed the run").contains("resuming run");

        // A wrong password and a server that is not there: one line each, naming the server.
        LoCli.Result wrong = lo.env("QUARKUS_DATASOURCE_POSTGRESQL_PASSWORD", "not-the-password")
                .run(dir, "runs");
        assertThat(wrong.exitCode()).as(wrong.toString()).isNotZero();
        assertThat(wrong.stderr().strip()).as(wrong.toString()).doesNotContain("\n").contains("password")
                .contains("127.0.0.1:");
        LoCli.Result nowhere = lo(ID_PG).env("QUARKUS_DATASOURCE_POSTGRESQL_JDBC_URL",
                "jdbc:postgresql://127.0.0.1:9/lo?connectTimeout=5").run(dir, "runs");
        assertThat(nowhere.exitCode()).as(nowhere.toString()).isNotZero();
        assertThat(nowhere.stderr().strip()).as(nowhere.toString()).doesNotContain("\n").contains("127.0.0.1:9");
    }

    static void insertLease(String machine, String project, UUID run, long pid) throws Exception {
        try (Connection c = store.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO leases (machine_id, project, run_id, pid, host, acquired_at) VALUES (?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, machine);
            ps.setString(2, project);
            ps.setObject(3, run);
            ps.setLong(4, pid);
            ps.setString(5, dev.lok8s.lo.events.EventMetadata.hostName());
            ps.setObject(6, OffsetDateTime.now(ZoneOffset.UTC));
            ps.executeUpdate();
        }
    }

    static List<String> leases() throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = store.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT machine_id, project, run_id FROM leases ORDER BY machine_id"); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getString(1) + "|" + rs.getString(2) + "|" + rs.getObject(3));
            }
        }
        return out;
    }
}
