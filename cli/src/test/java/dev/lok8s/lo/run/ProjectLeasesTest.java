package dev.lok8s.lo.run;

import dev.lok8s.lo.events.EventMetadata;
import dev.lok8s.lo.store.StoreEngine;
import dev.lok8s.lo.store.TestStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The lease contract on every engine: one run per project; a live holder refuses (or is waited for),
 * a dead holder's lease is taken over and named, release frees it. Holders other than this process
 * are real processes (a {@code sleep}), alive or finished.
 */
@ParameterizedClass
@EnumSource(StoreEngine.class)
class ProjectLeasesTest {

    @Parameter
    StoreEngine engine;

    static final String MACHINE = "11111111-2222-4333-8444-555555555555";
    static final String OTHER_MACHINE = "99999999-2222-4333-8444-555555555555";

    TestStore temp;
    ProjectLeases leases;
    final List<String> notes = new ArrayList<>();
    final List<Process> children = new ArrayList<>();

    @BeforeEach
    void open() {
        temp = engine.open();
        leases = new ProjectLeases(temp.dataSource(), MACHINE, Duration.ofSeconds(5), notes::add);
    }

    @AfterEach
    void close() throws Exception {
        children.forEach(Process::destroyForcibly);
        temp.close();
    }

    Process sleeper() throws Exception {
        Process p = new ProcessBuilder("sleep", "60").start();
        children.add(p);
        return p;
    }

    /** A lease row as another process of this machine would have written it. */
    void heldBy(String project, UUID run, long pid) throws Exception {
        heldBy(MACHINE, project, run, pid);
    }

    void heldBy(String machine, String project, UUID run, long pid) throws Exception {
        try (Connection c = temp.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO leases (machine_id, project, run_id, pid, host, acquired_at) VALUES (?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, machine);
            ps.setString(2, project);
            ps.setObject(3, run);
            ps.setLong(4, pid);
            ps.setString(5, EventMetadata.hostName());
            ps.setObject(6, OffsetDateTime.now(ZoneOffset.UTC));
            ps.executeUpdate();
        }
    }

    List<String> rows() throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = temp.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT project, run_id, pid FROM leases WHERE machine_id = '" + MACHINE + "' ORDER BY project");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getString(1) + "|" + rs.getObject(2) + "|" + rs.getLong(3));
            }
        }
        return out;
    }

    @Test
    void aFreeProjectIsLeasedAndReleased() throws Exception {
        UUID run = UUID.randomUUID();
        ProjectLeases.Lease lease = leases.acquire("p", run, false);

        assertThat(lease.takenOverFrom()).as("nobody held it").isNull();
        assertThat(rows()).containsExactly("p|" + run + "|" + ProcessHandle.current().pid());
        UUID resumed = UUID.randomUUID();
        lease = leases.reassign(lease, resumed);
        assertThat(rows()).containsExactly("p|" + resumed + "|" + ProcessHandle.current().pid());
        leases.release(lease);
        assertThat(rows()).as("released").isEmpty();
    }

    @Test
    void aLiveHolderRefusesAndNamesItself() throws Exception {
        Process holder = sleeper();
        UUID holderRun = UUID.randomUUID();
        heldBy("p", holderRun, holder.pid());

        assertThatThrownBy(() -> leases.acquire("p", UUID.randomUUID(), false))
                .isInstanceOfSatisfying(ProjectLeases.LeaseBusyException.class, e -> {
                    assertThat(e.holder().runId()).isEqualTo(holderRun);
                    assertThat(e.holder().pid()).isEqualTo(holder.pid());
                })
                .hasMessageContaining("project 'p' is being changed by run " + holderRun.toString().substring(0, 8));
        assertThat(rows()).as("the holder keeps it").containsExactly("p|" + holderRun + "|" + holder.pid());
        assertThat(leases.acquire("q", UUID.randomUUID(), false).takenOverFrom())
                .as("another project is not blocked").isNull();
    }

    @Test
    void aDeadHoldersLeaseIsTakenOverAndNamed() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        assertThat(gone.waitFor(30, TimeUnit.SECONDS)).isTrue();
        UUID goneRun = UUID.randomUUID();
        heldBy("p", goneRun, gone.pid());

        UUID run = UUID.randomUUID();
        ProjectLeases.Lease lease = leases.acquire("p", run, false);

        assertThat(lease.takenOverFrom()).as("taken over from the dead holder").isNotNull();
        assertThat(lease.takenOverFrom().runId()).isEqualTo(goneRun);
        assertThat(lease.takenOverFrom().pid()).isEqualTo(gone.pid());
        assertThat(rows()).containsExactly("p|" + run + "|" + ProcessHandle.current().pid());
    }

    @Test
    void anotherMachinesLeaseOnAProjectOfTheSameNameDoesNotBlock() throws Exception {
        Process elsewhere = sleeper();
        UUID theirs = UUID.randomUUID();
        heldBy(OTHER_MACHINE, "lok8s", theirs, elsewhere.pid());

        UUID run = UUID.randomUUID();
        ProjectLeases.Lease lease = leases.acquire("lok8s", run, false);

        assertThat(lease.takenOverFrom()).as("nothing taken from the other machine").isNull();
        assertThat(rows()).containsExactly("lok8s|" + run + "|" + ProcessHandle.current().pid());
        leases.release(lease);
        assertThat(new ProjectLeases(temp.dataSource(), OTHER_MACHINE, Duration.ofSeconds(1), notes::add))
                .as("the other machine's lease is untouched by this one's release")
                .satisfies(other -> assertThatThrownBy(() -> other.acquire("lok8s", UUID.randomUUID(), false))
                        .isInstanceOf(ProjectLeases.LeaseBusyException.class));
    }

    @Test
    void withWaitItWaitsForTheHolderToFinish() throws Exception {
        Process holder = sleeper();
        UUID holderRun = UUID.randomUUID();
        heldBy("p", holderRun, holder.pid());
        Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(600);
            } catch (InterruptedException ignored) {
                return;
            }
            holder.destroyForcibly();
        });

        ProjectLeases.Lease lease = leases.acquire("p", UUID.randomUUID(), true);

        assertThat(notes).as("said whom it waited for").anyMatch(n -> n.startsWith("waiting for run "
                + holderRun.toString().substring(0, 8)));
        assertThat(lease.takenOverFrom().runId()).as("the holder exited without releasing it").isEqualTo(holderRun);
    }
}
