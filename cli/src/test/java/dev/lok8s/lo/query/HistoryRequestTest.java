package dev.lok8s.lo.query;

import dev.lok8s.lo.events.EventMetadata;
import dev.lok8s.lo.events.RunRejected;
import dev.lok8s.lo.machine.Machine;
import dev.lok8s.lo.projection.Machines;
import dev.lok8s.lo.projection.RunHistory;
import dev.lok8s.lo.store.ExpectedVersion;
import dev.lok8s.lo.store.HistoryQuery;
import dev.lok8s.lo.store.TempStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The one parser behind {@code lo history}/{@code lo runs} and {@code GET /api/history}/{@code /api/runs}:
 * a query, or the bad input named, with one set of limits.
 */
class HistoryRequestTest {

    static final UUID RUN_A = UUID.fromString("1a2b3c4d-1111-4222-8333-444455556666");
    static final UUID RUN_B = UUID.fromString("1a2b9999-1111-4222-8333-444455556666");

    TempStore temp;
    RunHistory runs;
    Machines machines;

    @BeforeEach
    void open() {
        temp = TempStore.create();
        for (UUID run : List.of(RUN_A, RUN_B)) {
            temp.eventStore().append("run-" + run, ExpectedVersion.NO_STREAM,
                    List.of(new RunRejected(run, "q.test", "q", "provision", "bad spec")),
                    EventMetadata.local(run, "lo provision q.test", "test"));
        }
        runs = new RunHistory(temp.dataSource());
        machines = new Machines(temp.dataSource(), Machine.unnamed());
    }

    @AfterEach
    void close() throws Exception {
        temp.close();
    }

    private Parsed<HistoryQuery> history(String run, String since, String limit, String before, String host) {
        return new HistoryRequest(" q.test ", "", run, since, null, limit, before, host).parse(runs, machines);
    }

    @Test
    void filtersBecomeOneQueryWithTheDefaultPage() {
        HistoryQuery q = history("1a2b3c", "2026-11-27", null, "7", null).orElseThrow(bad -> new IllegalStateException(bad.toString()));
        assertThat(q.domain()).as("text is stripped").isEqualTo("q.test");
        assertThat(q.type()).as("blank is no filter").isNull();
        assertThat(q.runId()).as("a unique prefix names its run").isEqualTo(RUN_A);
        assertThat(q.since()).isEqualTo(Instant.parse("2026-11-27T00:00:00Z"));
        assertThat(q.limit()).isEqualTo(Inputs.DEFAULT_LIMIT).isEqualTo(50);
        assertThat(q.before()).isEqualTo(7L);
        assertThat(history(null, null, "10000", null, null).orElseThrow(bad -> new IllegalStateException(bad.toString())).limit())
                .isEqualTo(Inputs.MAX_LIMIT);

        UUID unknown = UUID.fromString("ffffffff-1111-4222-8333-444455556666");
        assertThat(history(unknown.toString(), null, null, null, null).orElseThrow(bad -> new IllegalStateException(bad.toString()))
                .runId()).as("a full id of a run without a runs row still filters its events").isEqualTo(unknown);
    }

    @Test
    void aBadInputIsNamedWithWhatIsWrong() {
        Map<Parsed<HistoryQuery>, Parsed.Bad<HistoryQuery>> cases = new LinkedHashMap<>();
        cases.put(history(null, null, "0", null, null),
                new Parsed.Bad<>("limit", "'0' is not a number from 1 to 10000"));
        cases.put(history(null, null, "10001", null, null),
                new Parsed.Bad<>("limit", "'10001' is not a number from 1 to 10000"));
        cases.put(history(null, null, null, "-5", null),
                new Parsed.Bad<>("before", "'-5' is not a number from 1 to " + Long.MAX_VALUE));
        cases.put(history(null, "yesterday", null, null, null),
                new Parsed.Bad<>("since", "'yesterday' is not an ISO-8601 time (for example 2026-11-27T18:01:02Z or 2026-11-27)"));
        cases.put(history("nosuchrun", null, null, null, null), new Parsed.Bad<>("run", "no run matches 'nosuchrun'"));
        cases.put(history("1a2b", null, null, null, null),
                new Parsed.Bad<>("run", "run id prefix '1a2b' matches several runs"));
        cases.forEach((parsed, expected) -> assertThat(parsed).isEqualTo(expected));

        Parsed<HistoryQuery> host = history(null, null, null, null, "no-such-machine");
        assertThat(host).isInstanceOf(Parsed.Bad.class);
        assertThat(((Parsed.Bad<HistoryQuery>) host).input()).isEqualTo("host");
        assertThat(((Parsed.Bad<HistoryQuery>) host).detail()).startsWith("no machine named 'no-such-machine'");
    }

    @Test
    void runsTakeTheSameLimitsAndMachines() {
        assertThat(new RunsRequest(null, null, null).parse(machines).orElseThrow(bad -> new IllegalStateException(bad.toString())))
                .isEqualTo(new RunsRequest.Query(null, null, 50));
        assertThat(new RunsRequest("q.test", "2", Machine.unnamed().id()).parse(machines)
                .orElseThrow(bad -> new IllegalStateException(bad.toString())).list(runs)).hasSize(2);
        assertThat(new RunsRequest(null, "abc", null).parse(machines))
                .isEqualTo(new Parsed.Bad<>("limit", "'abc' is not a number from 1 to 10000"));
    }
}
