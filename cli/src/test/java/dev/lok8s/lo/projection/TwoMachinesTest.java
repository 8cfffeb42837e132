package dev.lok8s.lo.projection;

import dev.lok8s.lo.plan.Role;
import dev.lok8s.lo.events.EventMetadata;
import dev.lok8s.lo.events.NetworkCreated;
import dev.lok8s.lo.plan.Scope;
import dev.lok8s.lo.events.RegistryStarted;
import dev.lok8s.lo.events.RunCompleted;
import dev.lok8s.lo.events.RunStarted;
import dev.lok8s.lo.machine.Machine;
import dev.lok8s.lo.spec.Cidr;
import dev.lok8s.lo.spec.ClusterSpec;
import dev.lok8s.lo.spec.MirrorSpec;
import dev.lok8s.lo.spec.NetworkSpec;
import dev.lok8s.lo.spec.NodesSpec;
import dev.lok8s.lo.spec.RegistriesSpec;
import dev.lok8s.lo.store.EventStore;
import dev.lok8s.lo.store.ExpectedVersion;
import dev.lok8s.lo.store.HistoryQuery;
import dev.lok8s.lo.store.StoreEngine;
import dev.lok8s.lo.store.StoredEvent;
import dev.lok8s.lo.store.TestStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Two machines on one store, each with a project {@code lok8s} in slot 125 on its own Docker Engine:
 * no mismatch, separate read models, history of both, filtered by machine; events from before lo
 * knew machines count as the reading machine's.
 */
@ParameterizedClass
@EnumSource(StoreEngine.class)
class TwoMachinesTest {

    @Parameter
    StoreEngine engine;

    static final Machine A = new Machine("aaaaaaaa-1111-4222-8333-444455556666", "laptop-a");
    static final Machine B = new Machine("bbbbbbbb-1111-4222-8333-444455556666", "laptop-b");

    TestStore temp;
    EventStore onA;
    EventStore onB;

    @BeforeEach
    void open() {
        temp = engine.open();
        onA = TestStore.eventStore(temp.dataSource(), A);
        onB = TestStore.eventStore(temp.dataSource(), B);
    }

    @AfterEach
    void close() throws Exception {
        temp.close();
    }

    static void provision(EventStore store, Machine machine, String subnet) {
        UUID run = UUID.randomUUID();
        EventMetadata meta = new EventMetadata(run, "lo provision lok8s.dev", "dev", machine.hostName(), "test");
        store.append("run-" + run, ExpectedVersion.NO_STREAM,
                List.of(new RunStarted(run, "provision", "lok8s.dev", "lok8s", "plan", 1, machine.hostName())), meta);
        store.append("project-lok8s", ExpectedVersion.ANY, List.of(
                new NetworkCreated("lok8s.dev", "lok8s", "lok8s", subnet, Scope.PROJECT),
                new RegistryStarted("lok8s.dev", "lok8s", "lok8s-registry-build", Role.BUILD, "lok8s",
                        subnet.replace("0/24", "101"), "registry:2.8.3", "h")), meta);
        store.append("run-" + run, ExpectedVersion.ANY, List.of(new RunCompleted(run, "lok8s.dev", "lok8s", 10)), meta);
    }

    static ClusterSpec spec(String name, String subnet) {
        return new ClusterSpec(Path.of("/tmp/cluster.lok8s.yaml"), name, name + ".dev", Cidr.parse(subnet).thirdOctet(),
                new NetworkSpec(name, Cidr.parse(subnet)),
                new RegistriesSpec(false, new NetworkSpec("lok8s-registries", Cidr.parse("10.125.200.0/24")),
                        MirrorSpec.STANDARD, false, RegistriesSpec.DEFAULT_IMAGE),
                "kind", null, NodesSpec.DEFAULT);
    }

    @Test
    void theSameProjectAndSlotOnTwoMachinesIsNoMismatchAndEachSeesItsOwn() {
        provision(onA, A, "10.125.125.0/24");
        provision(onB, B, "10.125.125.0/24");

        for (Machine m : List.of(A, B)) {
            SubnetMismatches mismatches = new SubnetMismatches(temp.dataSource(), m.id());
            assertThat(mismatches.check(spec("lok8s", "10.125.125.0/24"))).as("%s: its own project", m).isEmpty();
            assertThat(mismatches.check(spec("other", "10.125.125.0/24")))
                    .as("%s: another project of its own on the slot is a mismatch", m).hasSize(1);
            assertThat(new ProjectNetworks(temp.dataSource(), m.id()).projects()).extracting(
                    ProjectNetworks.ProjectView::name, ProjectNetworks.ProjectView::slot)
                    .as("%s: one project", m).containsExactly(org.assertj.core.groups.Tuple.tuple("lok8s", 125));
            assertThat(new RegistryLog(temp.dataSource(), m.id()).registries()).as("%s: its build registry", m)
                    .containsOnlyKeys("lok8s-registry-build");
        }
        assertThat(new SubnetMismatches(temp.dataSource(), Machine.UNNAMED_ID).check(spec("other", "10.125.125.0/24")))
                .as("a third machine has nothing on that slot").isEmpty();

        RunHistory runs = new RunHistory(temp.dataSource());
        assertThat(runs.list(null, 50)).extracting(RunSummary::host).containsExactlyInAnyOrder("laptop-a", "laptop-b");
        assertThat(runs.list(null, List.of(B.id()), 50)).extracting(RunSummary::machineId).containsExactly(B.id());
    }

    @Test
    void historyShowsEveryMachineAndFiltersByHostOrIdPrefix() {
        provision(onA, A, "10.125.125.0/24");
        provision(onB, B, "10.125.125.0/24");
        Machines machines = new Machines(temp.dataSource(), A);

        assertThat(onA.query(HistoryQuery.latest(50)).events()).extracting(e -> e.metadata().machineId())
                .as("every machine").containsOnly(A.id(), B.id()).hasSize(8);
        assertThat(machines.resolve("laptop-b")).containsExactly(B.id());
        assertThat(machines.resolve("bbbb")).containsExactly(B.id());
        assertThat(machines.resolve("laptop-a")).containsExactly(A.id());
        assertThatThrownBy(() -> machines.resolve("laptop-c")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no machine named 'laptop-c' in the event store; known: laptop-b (bbbbbbbb),"
                        + " laptop-a (aaaaaaaa)");
        List<StoredEvent> onlyB = onA.query(new HistoryQuery(null, null, null, null, null, 50, null,
                new HistoryQuery.MachineFilter(machines.resolve("laptop-b")))).events();
        assertThat(onlyB).hasSize(4).allSatisfy(e -> {
            assertThat(e.metadata().machineId()).isEqualTo(B.id());
            assertThat(e.metadata().host()).isEqualTo("laptop-b");
        });
    }

    @Test
    void eventsFromBeforeMachinesAreTheReadingMachinesOwnAndARebuildKeepsThemApart() throws Exception {
        provision(onA, A, "10.125.125.0/24");
        provision(onB, B, "10.125.125.0/24");
        // an event recorded before lo knew machines
        try (Connection c = temp.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE events SET machine_id = NULL WHERE position = 1");
        }

        assertThat(onA.query(new HistoryQuery(null, null, null, null, null, 50, null,
                new HistoryQuery.MachineFilter(List.of(A.id())))).events()).extracting(StoredEvent::position)
                .as("A's history includes the unrecorded event").contains(1L).hasSize(4);
        assertThat(onB.query(new HistoryQuery(null, null, null, null, null, 50, null,
                new HistoryQuery.MachineFilter(List.of(A.id())))).events()).extracting(StoredEvent::position)
                .as("read by B, it is B's, not A's").doesNotContain(1L).hasSize(3);
        assertThat(onA.readStreamOfThisMachine("project-lok8s")).hasSize(2);
        assertThat(onB.readStreamOfThisMachine("project-lok8s")).hasSize(2);

        onA.rebuildProjections();

        for (Machine m : List.of(A, B)) {
            assertThat(new SubnetMismatches(temp.dataSource(), m.id()).check(spec("lok8s", "10.125.125.0/24")))
                    .as("%s after the rebuild", m).isEmpty();
            assertThat(new ProjectNetworks(temp.dataSource(), m.id()).projects()).hasSize(1);
        }
        assertThat(new RunHistory(temp.dataSource()).list(null, 50)).extracting(RunSummary::machineId)
                .as("the unrecorded RunStarted became the rebuilding machine's").containsExactlyInAnyOrder(A.id(), B.id());
    }
}
