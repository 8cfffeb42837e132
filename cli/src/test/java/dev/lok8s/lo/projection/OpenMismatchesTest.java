package dev.lok8s.lo.projection;

import dev.lok8s.lo.events.EventMetadata;
import dev.lok8s.lo.events.LoEvent;
import dev.lok8s.lo.events.NetworkCreated;
import dev.lok8s.lo.events.NetworkRemoved;
import dev.lok8s.lo.events.RunCompleted;
import dev.lok8s.lo.events.RunFailed;
import dev.lok8s.lo.events.RunRejected;
import dev.lok8s.lo.events.RunStarted;
import dev.lok8s.lo.events.SubnetMismatchDetected;
import dev.lok8s.lo.machine.Machine;
import dev.lok8s.lo.plan.Scope;
import dev.lok8s.lo.plan.SubnetMismatch.Kind;
import dev.lok8s.lo.store.EventStore;
import dev.lok8s.lo.store.ExpectedVersion;
import dev.lok8s.lo.store.StoreEngine;
import dev.lok8s.lo.store.TestStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The open-mismatches read model: a detection opens one, a completed run of the project or the removal
 * of a network closes it, and {@code GET /api/mismatches}' current list reads it.
 */
@ParameterizedClass
@EnumSource(StoreEngine.class)
class OpenMismatchesTest {

    static final String SHARED = "lok8s-registries";
    static final Machine A = new Machine("aaaaaaaa-1111-4222-8333-444455556666", "laptop-a");
    static final Machine B = new Machine("bbbbbbbb-1111-4222-8333-444455556666", "laptop-b");

    @Parameter
    StoreEngine engine;

    TestStore temp;
    EventStore store;

    @BeforeEach
    void open() {
        temp = engine.open();
        store = TestStore.eventStore(temp.dataSource(), A);
        // project a (slot 125) made the shared network at 10.125.200.0/24
        completedRun(store, "lok8s.dev", "a",
                new NetworkCreated("lok8s.dev", "a", SHARED, "10.125.200.0/24", Scope.SHARED),
                new NetworkCreated("lok8s.dev", "a", "lok8s", "10.125.125.0/24", Scope.PROJECT));
    }

    @AfterEach
    void close() throws Exception {
        temp.close();
    }

    @Test
    void aDetectionOpensAMismatchThatIsCurrent() throws Exception {
        long at = refused(store, "7.lok8s.dev", "c", sharedDetection("7.lok8s.dev", "c"));

        assertThat(rows()).containsExactly(A.id() + "|c|7.lok8s.dev|SHARED_NETWORK_SUBNET|" + SHARED
                + "|10.125.200.0/24|10.0.0.0/24|null|" + at);
        assertThat(report().current()).singleElement().satisfies(f -> {
            assertThat(f.project()).isEqualTo("c");
            assertThat(f.domain()).isEqualTo("7.lok8s.dev");
            assertThat(f.kind()).isEqualTo(Kind.SHARED_NETWORK_SUBNET);
            assertThat(f.error()).isEqualTo("error: registry network 'lok8s-registries' exists with subnet"
                    + " 10.125.200.0/24, expected 10.0.0.0/24");
            assertThat(f.fix()).isEqualTo("fix: align spec.registries.shared.network.cidr with the existing network,"
                    + " or run: lo registry clean --shared && lo provision 7.lok8s.dev");
            assertThat(f.detectedAt()).isEqualTo(at);
            assertThat(f.network()).isEqualTo(SHARED);
            assertThat(f.existingCidr()).isEqualTo("10.125.200.0/24");
            assertThat(f.expectedCidr()).isEqualTo("10.0.0.0/24");
        });
    }

    @Test
    void aDetectionRecordedWithoutARunOpensOneToo() throws Exception {
        append(store, "project-c", null, sharedDetection("7.lok8s.dev", "c"));
        append(store, "project-x", null, new SubnetMismatchDetected("x.dev", null, SHARED, "10.125.200.0/24",
                "10.0.0.0/24", null));

        assertThat(rows()).as("one without a project is only history").singleElement().asString()
                .startsWith(A.id() + "|c|");
        assertThat(report().current()).extracting(SubnetMismatchReport.Finding::project).containsExactly("c");
    }

    @Test
    void aRefusalRepeatedKeepsOneOpenMismatchTheNewest() throws Exception {
        refused(store, "7.lok8s.dev", "c", sharedDetection("7.lok8s.dev", "c"));
        long second = refused(store, "7.lok8s.dev", "c", sharedDetection("7.lok8s.dev", "c"));

        assertThat(rows()).singleElement().asString().endsWith("|" + second);
        assertThat(report().current()).extracting(SubnetMismatchReport.Finding::detectedAt).containsExactly(second);
    }

    @Test
    void aLaterCompletedRunOfTheProjectClosesIt() throws Exception {
        refused(store, "7.lok8s.dev", "c", sharedDetection("7.lok8s.dev", "c"));
        failedRun(store, "7.lok8s.dev", "c");
        assertThat(rows()).as("a failed run fixes nothing").hasSize(1);
        completedRun(store, "lok8s.dev", "a");
        assertThat(rows()).as("another project's run fixes nothing").hasSize(1);

        completedRun(store, "7.lok8s.dev", "c");

        assertThat(rows()).as("closed").isEmpty();
        assertThat(report().current()).isEmpty();
        assertThat(report().historical(null, 50, null).detections()).as("still history").hasSize(1);
    }

    @Test
    void removingTheNetworkClosesIt() throws Exception {
        refused(store, "7.lok8s.dev", "c", sharedDetection("7.lok8s.dev", "c"));

        append(store, "network-" + SHARED, null, new NetworkRemoved("lok8s.dev", null, SHARED, Scope.SHARED));
        assertThat(rows()).as("closed by the removal").isEmpty();

        // made again with the old subnet: the refusal was answered by the removal, it is not reopened
        append(store, "network-" + SHARED, null,
                new NetworkCreated("lok8s.dev", "a", SHARED, "10.125.200.0/24", Scope.SHARED));
        assertThat(report().current()).isEmpty();
    }

    @Test
    void aSubnetInUseIsClosedWhenTheOtherProjectsNetworkGoes() throws Exception {
        long at = refused(store, "dup.dev", "dup", new SubnetMismatchDetected("dup.dev", "dup", "dup",
                "10.125.125.0/24", "10.125.125.0/24", "a"));

        assertThat(rows()).containsExactly(A.id() + "|dup|dup.dev|PROJECT_SUBNET_IN_USE|dup"
                + "|10.125.125.0/24|10.125.125.0/24|a|" + at);
        assertThat(report().current()).singleElement().satisfies(f -> {
            assertThat(f.project()).as("the refused project, not recorded but for its detection").isEqualTo("dup");
            assertThat(f.kind()).isEqualTo(Kind.PROJECT_SUBNET_IN_USE);
            assertThat(f.error()).isEqualTo("error: project subnet 10.125.125.0/24 is already used by project 'a'"
                    + " (domain lok8s.dev, subnet 10.125.125.0/24)");
            assertThat(f.fix()).isEqualTo("fix: choose another slot in spec.network.cidr, or destroy project 'a'"
                    + " (lok8s.dev) first");
            assertThat(f.detectedAt()).isEqualTo(at);
            assertThat(f.otherProject()).isEqualTo("a");
        });

        append(store, "project-a", null, new NetworkRemoved("lok8s.dev", "a", "lok8s", Scope.PROJECT));

        assertThat(rows()).as("closed: project a's network is gone").isEmpty();
        assertThat(report().current()).isEmpty();
    }

    @Test
    void twoRecordedProjectsOnOneSubnetAreCurrentWithoutADetection() {
        append(store, "project-dup", null, new NetworkCreated("dup.dev", "dup", "dup", "10.125.125.0/24",
                Scope.PROJECT));

        assertThat(report().current()).extracting(f -> f.project() + " " + f.kind() + " " + f.detectedAt())
                .containsExactly("a PROJECT_SUBNET_IN_USE null", "dup PROJECT_SUBNET_IN_USE null");
    }

    @Test
    void eachMachineHasItsOwnOpenMismatches() throws Exception {
        EventStore onB = TestStore.eventStore(temp.dataSource(), B);
        completedRun(onB, "lok8s.dev", "a",
                new NetworkCreated("lok8s.dev", "a", SHARED, "10.125.200.0/24", Scope.SHARED));
        refused(store, "7.lok8s.dev", "c", sharedDetection("7.lok8s.dev", "c"));
        refused(onB, "7.lok8s.dev", "c", sharedDetection("7.lok8s.dev", "c"));

        completedRun(onB, "7.lok8s.dev", "c");

        assertThat(rows()).as("B's run closes B's, not A's").singleElement().asString().startsWith(A.id() + "|c|");
        assertThat(ReadModels.of(onB).subnetMismatchReport().current()).isEmpty();
        assertThat(report().current()).extracting(SubnetMismatchReport.Finding::project).containsExactly("c");
    }

    @Test
    void aRebuildFromTheLogGivesTheSameOpenMismatches() throws Exception {
        refused(store, "7.lok8s.dev", "c", sharedDetection("7.lok8s.dev", "c"));
        refused(store, "8.lok8s.dev", "d", sharedDetection("8.lok8s.dev", "d"));
        refused(store, "dup.dev", "dup", new SubnetMismatchDetected("dup.dev", "dup", "dup", "10.125.125.0/24",
                "10.125.125.0/24", "a"));
        refused(store, "9.lok8s.dev", "e", new SubnetMismatchDetected("9.lok8s.dev", "e", "lok8s-9",
                "10.125.125.0/24", "10.125.125.0/24", "a"));
        completedRun(store, "8.lok8s.dev", "d");
        append(store, "project-dup", null, new NetworkCreated("dup.dev", "dup", "dup", "10.125.126.0/24",
                Scope.PROJECT));
        append(store, "project-dup", null, new NetworkRemoved("dup.dev", "dup", "dup", Scope.PROJECT));
        List<String> incremental = rows();
        List<SubnetMismatchReport.Finding> current = report().current();
        assertThat(incremental).as("c and e open; d fixed, dup's network removed").hasSize(2);

        store.rebuildProjections();

        assertThat(rows()).isEqualTo(incremental);
        assertThat(report().current()).isEqualTo(current);
    }

    // ---- the log

    static SubnetMismatchDetected sharedDetection(String domain, String project) {
        return new SubnetMismatchDetected(domain, project, SHARED, "10.125.200.0/24", "10.0.0.0/24", null);
    }

    SubnetMismatchReport report() {
        return ReadModels.of(store).subnetMismatchReport();
    }

    /** A provision refused for {@code detection}: returns the detection's position. */
    static long refused(EventStore store, String domain, String project, SubnetMismatchDetected detection) {
        UUID run = UUID.randomUUID();
        append(store, "run-" + run, meta(store, run), detection,
                new RunRejected(run, domain, project, "provision", "refused"));
        return store.headPosition() - 1;
    }

    static void completedRun(EventStore store, String domain, String project, LoEvent... changes) {
        UUID run = UUID.randomUUID();
        EventMetadata meta = meta(store, run);
        append(store, "run-" + run, meta, new RunStarted(run, "provision", domain, project, "plan", 1,
                store.machine().hostName()));
        if (changes.length > 0) {
            append(store, "project-" + project, meta, changes);
        }
        append(store, "run-" + run, meta, new RunCompleted(run, domain, project, 10));
    }

    static void failedRun(EventStore store, String domain, String project) {
        UUID run = UUID.randomUUID();
        EventMetadata meta = meta(store, run);
        append(store, "run-" + run, meta, new RunStarted(run, "provision", domain, project, "plan", 1,
                store.machine().hostName()));
        append(store, "run-" + run, meta, new RunFailed(run, domain, project, "cluster", "exited 1"));
    }

    static EventMetadata meta(EventStore store, UUID run) {
        return new EventMetadata(run, "lo provision", "dev", store.machine().hostName(), "test");
    }

    static void append(EventStore store, String stream, EventMetadata meta, LoEvent... events) {
        store.append(stream, ExpectedVersion.ANY, List.of(events), meta);
    }

    /** The read model's rows: machine, project, domain, kind, network, cidrs, other project, position. */
    List<String> rows() throws Exception {
        return ProjectorTest.rows(temp.dataSource(), "SELECT machine_id, project, domain, kind, network, existing_cidr,"
                + " expected_cidr, other_project, detected_at FROM subnet_mismatches ORDER BY machine_id, detected_at");
    }
}
