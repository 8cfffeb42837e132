package dev.lok8s.lo.projection;

import dev.lok8s.lo.store.EventStore;
import dev.lok8s.lo.store.StoreEngine;
import dev.lok8s.lo.store.TestStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

@ParameterizedClass
@EnumSource(StoreEngine.class)
class ProjectorTest {

    @Parameter
    StoreEngine engine;

    TestStore temp;
    EventStore store;
    ProjectionScenario scenario = new ProjectionScenario();

    @BeforeEach
    void open() {
        temp = engine.open();
        store = temp.eventStore();
        scenario.play(store);
    }

    @AfterEach
    void close() throws Exception {
        temp.close();
    }

    @Test
    void readModelsFollowTheLog() throws Exception {
        Map<String, List<String>> m = readModels();
        assertThat(m.get("networks")).as("networks").containsExactly(
                "lok8s-50|10.125.50.0/24|project|b|50.lok8s.dev",
                "lok8s-registries|10.125.200.0/24|shared|b|50.lok8s.dev");
        assertThat(m.get("projects")).as("projects: a's network was removed").containsExactly(
                "b|50.lok8s.dev|50|10.125.50.0/24|lok8s-50");
        assertThat(m.get("network_users")).as("nodes on the shared network").containsExactly(
                "lok8s-registries|b-control-plane|b|50.lok8s.dev",
                "lok8s-registries|b-worker|b|50.lok8s.dev");
        assertThat(m.get("registries")).as("registries").containsExactly(
                "lok8s-50-registry-build|build|project|b|50.lok8s.dev|lok8s-50|10.125.50.101|running",
                "lok8s-registry-io-docker|mirror|shared|a|lok8s.dev|lok8s-registries|10.125.200.2|running",
                "lok8s-registry-io-quay|mirror|shared|a|lok8s.dev|lok8s-registries|10.125.200.3|stopped");
    }

    @Test
    void aRebuildFromTheLogEqualsTheIncrementalReadModels() throws Exception {
        Map<String, List<String>> incremental = fullReadModels();

        long replayed = store.rebuildProjections();

        assertThat(replayed).isEqualTo(store.headPosition());
        assertThat(fullReadModels()).as("read models after rebuild").isEqualTo(incremental);
        assertThat(incremental.get("projection_position")).containsExactly(Long.toString(store.headPosition()));
    }

    @Test
    void runsShowStatusStepsAndInterruptedRuns() {
        RunHistory runs = new RunHistory(temp.dataSource());
        assertThat(runs.list(null, 50)).extracting(RunSummary::status).containsExactlyInAnyOrder(
                RunStatus.completed, RunStatus.completed, RunStatus.failed, RunStatus.rejected, RunStatus.completed);
        assertThat(runs.list("50.lok8s.dev", 50)).hasSize(2);

        RunDetail failed = runs.show(scenario.runBFailed.toString().substring(0, 8)).orElseThrow();
        assertThat(failed.run().status()).isEqualTo(RunStatus.failed);
        assertThat(failed.run().failedStep()).isEqualTo("cluster");
        assertThat(failed.run().error()).isEqualTo("kind create cluster exited 1");
        assertThat(failed.steps()).extracting(RunStepView::stepId, RunStepView::outcome, RunStepView::durationMs)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("shared-network", "unchanged", 2L),
                        org.assertj.core.groups.Tuple.tuple("registries", "replaced", 300L));

        // a run left 'running' by a process that is gone
        java.util.UUID stuck = java.util.UUID.randomUUID();
        store.append("run-" + stuck, dev.lok8s.lo.store.ExpectedVersion.NO_STREAM,
                List.of(new dev.lok8s.lo.events.RunStarted(stuck, "provision", "lok8s.dev", "a", "p", 1234,
                        dev.lok8s.lo.events.EventMetadata.hostName())), null);
        assertThat(new RunHistory(temp.dataSource(), (host, pid) -> false).show(stuck.toString()).orElseThrow()
                .run().status()).isEqualTo(RunStatus.interrupted);
        assertThat(new RunHistory(temp.dataSource(), (host, pid) -> true).show(stuck.toString()).orElseThrow()
                .run().status()).isEqualTo(RunStatus.running);
    }

    /** Key columns of each read model, one line per row, sorted. */
    private Map<String, List<String>> readModels() throws Exception {
        Map<String, List<String>> out = new LinkedHashMap<>();
        out.put("networks", rows("SELECT name, cidr, scope, project, domain FROM networks ORDER BY name"));
        out.put("projects", rows("SELECT name, domain, slot, subnet, network FROM projects ORDER BY name"));
        out.put("network_users", rows("SELECT network, node, project, domain FROM network_users ORDER BY network, node"));
        out.put("registries", rows("SELECT container, role, scope, project, domain, network, ip, state FROM registries ORDER BY container"));
        return out;
    }

    /** Every column of every read model. */
    private Map<String, List<String>> fullReadModels() throws Exception {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String table : Projector.TABLES) {
            out.put(table, rows("SELECT * FROM " + table + " ORDER BY 1, 2"));
        }
        out.put("projection_position", rows("SELECT position FROM projection_position"));
        return out;
    }

    private List<String> rows(String sql) throws Exception {
        return rows(temp.dataSource(), sql);
    }

    /** The rows of a query, each as its columns joined by {@code |}. */
    static List<String> rows(javax.sql.DataSource dataSource, String sql) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            ResultSetMetaData md = rs.getMetaData();
            while (rs.next()) {
                List<String> cols = new ArrayList<>();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    cols.add(String.valueOf(rs.getObject(i)));
                }
                out.add(String.join("|", cols));
            }
        }
        return out;
    }
}
