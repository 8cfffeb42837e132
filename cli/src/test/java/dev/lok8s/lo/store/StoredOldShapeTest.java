package dev.lok8s.lo.store;

import dev.lok8s.lo.events.NetworkCreated;
import dev.lok8s.lo.events.RunStarted;
import dev.lok8s.lo.events.UnrecognizedEvent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Rows as an older (or newer) lo left them in the table, read by this one. */
class StoredOldShapeTest {

    static TempStore temp;

    @BeforeAll
    static void open() throws Exception {
        temp = TempStore.create();
        try (Connection c = temp.dataSource.getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("""
                    INSERT INTO events (position, event_id, stream_id, stream_version, event_type, schema_version,
                                        domain, payload, recorded_at)
                    VALUES (1, '00000000-0000-4000-8000-000000000001', 'run-1a2b3c4d-0000-4000-8000-000000000001', 1,
                            'RunStarted', 1, 'lok8s.dev',
                            '{"runId":"1a2b3c4d-0000-4000-8000-000000000001","command":"provision","domain":"lok8s.dev","project":"lok8s","legacyFlag":1}',
                            TIMESTAMP WITH TIME ZONE '2026-01-02 03:04:05+00'),
                           (2, '00000000-0000-4000-8000-000000000002', 'project-lok8s', 1,
                            'NetworkCreated', 1, 'lok8s.dev', '{"network":"lok8s","cidr":"10.125.125.0/24"}',
                            TIMESTAMP WITH TIME ZONE '2026-01-02 03:04:06+00'),
                           (3, '00000000-0000-4000-8000-000000000003', 'project-lok8s', 2,
                            'LeaseTaken', 2, 'lok8s.dev', '{"holder":"pid 7"}',
                            TIMESTAMP WITH TIME ZONE '2026-01-02 03:04:07+00')""");
            s.executeUpdate("UPDATE store_head SET position = 3");
        }
    }

    @AfterAll
    static void close() throws Exception {
        temp.close();
    }

    @Test
    void olderPayloadsReadWithMissingFieldsAsNullAndUnknownTypesAsUnrecognized() {
        EventStore store = temp.eventStore();
        assertThat(store.readStream("run-1a2b3c4d-0000-4000-8000-000000000001").getFirst().event())
                .isEqualTo(new RunStarted(UUID.fromString("1a2b3c4d-0000-4000-8000-000000000001"), "provision",
                        "lok8s.dev", "lok8s", null, 0, null));
        List<StoredEvent> project = store.readStream("project-lok8s");
        assertThat(project.get(0).event()).isEqualTo(new NetworkCreated(null, null, "lok8s", "10.125.125.0/24", null));
        assertThat(project.get(1).event()).isInstanceOf(UnrecognizedEvent.class);
        assertThat(project.get(0).metadata().runId()).as("no metadata columns in old rows").isNull();
    }

    @Test
    void aRebuildOverOldRowsAndAppendsAfterThemWork() {
        EventStore store = temp.eventStore();
        assertThat(store.rebuildProjections()).isEqualTo(3);
        AppendResult r = store.append("project-lok8s", 2,
                List.of(new NetworkCreated("lok8s.dev", "lok8s", "lok8s", "10.125.125.0/24", null)), null);
        assertThat(r.firstPosition()).isEqualTo(4);
        assertThat(r.streamVersion()).isEqualTo(3);
    }
}
