package dev.lok8s.lo.it;

import dev.lok8s.lo.spec.SpecBuilder;
import dev.lok8s.lo.store.StoreLocation;
import dev.lok8s.lo.store.TempStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real {@code lo} processes against one store: eight at once on a new store, and inputs too long
 * for the store's columns. Every attempt ends with its own exit code and error and is recorded.
 * Nothing reaches Docker: every spec here is refused before any change.
 */
class StoreConcurrencyIT {

    @TempDir
    Path root;

    static final int PROCESSES = 8;

    @Test
    void eightProvisionsAtOnceOnANewStoreAreAllRecorded() throws Exception {
        Path state = root.resolve("state");
        LoCli lo = LoCli.forTest("store-8", state).timeoutSeconds(420);
        ProvisionFixture fixture = new ProvisionFixture(lo, root);
        for (int i = 0; i < PROCESSES; i++) {
            fixture.writeSpec("p" + i + ".store.test", "lotest-store-p" + i, "10.213.300." + i + "/24", null, null,
                    "http://10.213.153.9:5000");
        }
        List<Process> processes = new ArrayList<>();
        for (int i = 0; i < PROCESSES; i++) {
            processes.add(lo.start(root, "provision", "p" + i + ".store.test"));
        }
        for (int i = 0; i < PROCESSES; i++) {
            LoCli.Result r = lo.await(processes.get(i));
            List<String> lines = r.stderr().lines().filter(l -> !l.isBlank()).toList();
            assertThat(r.exitCode()).as("p%d: %s", i, r).isEqualTo(2);
            assertThat(lines).as("p%d: %s", i, r).hasSize(1);
            assertThat(lines.getFirst()).as("p%d", i).startsWith("error: ").contains("spec.network.cidr: ");
        }
        try (Connection c = TempStore.dataSource(StoreLocation.h2Url(state)).getConnection();
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT domain FROM events WHERE event_type = 'RunRejected' ORDER BY domain")) {
            List<String> domains = new ArrayList<>();
            while (rs.next()) {
                domains.add(rs.getString(1));
            }
            assertThat(domains).as("one recorded rejection per process")
                    .containsExactly("p0.store.test", "p1.store.test", "p2.store.test", "p3.store.test",
                            "p4.store.test", "p5.store.test", "p6.store.test", "p7.store.test");
        }
    }

    @Test
    void inputLongerThanTheColumnsShowsTheRealErrorAndIsRecordedCut() throws Exception {
        Path state = root.resolve("state");
        LoCli lo = LoCli.forTest("store-long", state).timeoutSeconds(180);
        String domain = "d".repeat(5_000) + ".test";

        LoCli.Result r = lo.run(root, "provision", domain);

        List<String> lines = r.stderr().lines().filter(l -> !l.isBlank()).toList();
        assertThat(r.exitCode()).as("%s", r).isEqualTo(2);
        assertThat(lines).as("%s", r).hasSize(1);
        assertThat(lines.getFirst()).startsWith("error: ").doesNotContain("event store").doesNotContain("too long");

        ProvisionFixture fixture = new ProvisionFixture(lo, root);
        SpecBuilder spec = SpecBuilder.named("lotest-store-many").network("lotest-store-many", "10.213.154.0/24")
                .shared(false).mirrors();
        for (int i = 0; i < 3_000; i++) {
            spec.mirror("m" + i, "not a url " + i);
        }
        fixture.write("many.store.test", spec);
        LoCli.Result many = lo.run(root, "provision", "many.store.test");
        assertThat(many.exitCode()).as("exit code of a spec with 3,000 errors").isEqualTo(2);
        assertThat(many.stderr()).doesNotContain("event store").doesNotContain("too long for column");

        try (Connection c = TempStore.dataSource(StoreLocation.h2Url(state)).getConnection();
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT domain, command_line, payload FROM events"
                     + " WHERE event_type = 'RunRejected' ORDER BY position")) {
            assertThat(rs.next()).as("the long domain's rejection is recorded").isTrue();
            assertThat(rs.getString("domain")).hasSizeLessThanOrEqualTo(253).contains("[cut: ");
            assertThat(rs.getString("command_line")).hasSizeLessThanOrEqualTo(4000).startsWith("lo provision ddd")
                    .contains("[cut: ");
            assertThat(rs.next()).as("the 3,000-error rejection is recorded").isTrue();
            // the spec's errors are capped at 20 shown (and said how many more) before they reach the
            // store, so what is recorded is what the user saw, well inside the column
            assertThat(rs.getString("payload")).contains("mirrors[0]").contains("and 2980 more errors")
                    .hasSizeLessThan(100_000);
        }
    }
}
