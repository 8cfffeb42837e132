package dev.lok8s.lo.store;

import dev.lok8s.lo.events.EventMetadata;
import dev.lok8s.lo.events.NetworkCreated;
import dev.lok8s.lo.plan.Scope;
import dev.lok8s.lo.events.RunStarted;
import dev.lok8s.lo.events.StepCompleted;
import dev.lok8s.lo.events.StepOutcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The store's contract, on every engine: H2 (one machine's store) and PostgreSQL (a team's). */
@ParameterizedClass
@EnumSource(StoreEngine.class)
class EventStoreTest {

    @Parameter
    StoreEngine engine;

    static TestStore temp;
    static EventStore store;

    @BeforeParameterizedClassInvocation
    static void open(StoreEngine engine) {
        temp = engine.open();
        store = temp.eventStore();
    }

    @AfterParameterizedClassInvocation
    static void close() throws Exception {
        temp.close();
    }

    static EventMetadata meta(UUID run) {
        return EventMetadata.local(run, "lo provision lok8s.dev", "test");
    }

    static NetworkCreated network(String domain, String name, String cidr) {
        return new NetworkCreated(domain, "p", name, cidr, Scope.PROJECT);
    }

    @Test
    void appendedEventsAreReadBackInStreamOrderWithMetadata() {
        String stream = "project-" + UUID.randomUUID();
        UUID run = UUID.randomUUID();
        AppendResult r = store.append(stream, ExpectedVersion.NO_STREAM,
                List.of(network("a.dev", "lok8s", "10.125.125.0/24"),
                        new StepCompleted(run, "a.dev", "p", "network", StepOutcome.created, 12)), meta(run));

        assertThat(r.streamVersion()).as("stream version after two events").isEqualTo(2);
        assertThat(r.lastPosition() - r.firstPosition()).isEqualTo(1);
        List<StoredEvent> read = store.readStream(stream);
        assertThat(read).extracting(StoredEvent::streamVersion).containsExactly(1, 2);
        assertThat(read).extracting(StoredEvent::eventType).containsExactly("NetworkCreated", "StepCompleted");
        assertThat(read.getFirst().event()).isEqualTo(network("a.dev", "lok8s", "10.125.125.0/24"));
        assertThat(read.getFirst().metadata().runId()).isEqualTo(run);
        assertThat(read.getFirst().metadata().commandLine()).isEqualTo("lo provision lok8s.dev");
        assertThat(read.getFirst().metadata().host()).isNotBlank();
        assertThat(store.readStream("project-none")).as("a missing stream reads empty").isEmpty();
        assertThat(store.readAll(r.firstPosition(), 10)).extracting(StoredEvent::position)
                .startsWith(r.firstPosition(), r.lastPosition());
    }

    @Test
    void aWrongExpectedVersionThrowsAndWritesNothing() {
        String stream = "network-" + UUID.randomUUID();
        store.append(stream, ExpectedVersion.NO_STREAM, List.of(network(null, "n", "10.9.0.0/24")), meta(null));
        long head = store.headPosition();

        assertThatThrownBy(() -> store.append(stream, ExpectedVersion.NO_STREAM,
                List.of(network(null, "n", "10.9.0.0/24")), meta(null)))
                .isInstanceOfSatisfying(WrongExpectedVersionException.class, e -> {
                    assertThat(e.streamId()).isEqualTo(stream);
                    assertThat(e.expected()).isEqualTo(ExpectedVersion.NO_STREAM);
                    assertThat(e.actual()).isEqualTo(1);
                });
        assertThatThrownBy(() -> store.append(stream, 5, List.of(network(null, "n", "10.9.0.0/24")), meta(null)))
                .isInstanceOf(WrongExpectedVersionException.class);
        assertThat(store.headPosition()).as("nothing written").isEqualTo(head);
        assertThat(store.append(stream, 1, List.of(network(null, "n", "10.9.0.0/24")), meta(null)).streamVersion())
                .isEqualTo(2);
    }

    @Test
    void aReadSinceAVersionGivesTheVersionAnAppendMustExpectAndOnlyThisMachinesEvents() {
        String stream = "network-" + UUID.randomUUID();
        EventStore otherMachine = TestStore.eventStore(temp.dataSource(),
                new dev.lok8s.lo.machine.Machine("cccccccc-1111-4222-8333-444455556666", "other"));
        store.append(stream, ExpectedVersion.NO_STREAM, List.of(network(null, "n1", "10.9.1.0/24")), meta(null));
        otherMachine.append(stream, 1, List.of(network(null, "n2", "10.9.2.0/24")), meta(null));
        store.append(stream, 2, List.of(network(null, "n3", "10.9.3.0/24")), meta(null));

        StreamSlice since = store.readStreamSince(stream, 1);
        assertThat(since.version()).as("every machine's events count").isEqualTo(3);
        assertThat(since.events()).extracting(e -> ((NetworkCreated) e.event()).network()).containsExactly("n3");
        assertThat(store.readStreamSince(stream, 3).version()).isEqualTo(3);
        assertThat(store.readStreamSince("network-none-" + UUID.randomUUID(), 0).version()).isZero();
        assertThat(store.streamVersion(stream)).isEqualTo(3);
        assertThatThrownBy(() -> store.append(stream, 2, List.of(network(null, "n4", "10.9.4.0/24")), meta(null)))
                .as("an append that decided on version 2").isInstanceOf(WrongExpectedVersionException.class);
        assertThat(store.append(stream, since.version(), List.of(network(null, "n4", "10.9.4.0/24")), meta(null))
                .streamVersion()).isEqualTo(4);
    }

    @Test
    void concurrentWritersWithTheSameExpectedVersionLetExactlyOneWin() throws Exception {
        String stream = "project-" + UUID.randomUUID();
        store.append(stream, ExpectedVersion.NO_STREAM, List.of(network("c.dev", "c", "10.8.0.0/24")), meta(null));
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        AtomicInteger conflicts = new AtomicInteger();
        List<Future<Boolean>> results = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            results.add(pool.submit(() -> {
                go.await();
                try {
                    store.append(stream, 1, List.of(network("c.dev", "c", "10.8.0.0/24")), meta(null));
                    return true;
                } catch (WrongExpectedVersionException e) {
                    conflicts.incrementAndGet();
                    return false;
                }
            }));
        }
        go.countDown();
        int wins = 0;
        for (Future<Boolean> f : results) {
            wins += f.get(30, TimeUnit.SECONDS) ? 1 : 0;
        }
        pool.shutdown();
        assertThat(wins).as("appends that won").isEqualTo(1);
        assertThat(conflicts.get()).isEqualTo(threads - 1);
        assertThat(store.readStream(stream)).extracting(StoredEvent::streamVersion).containsExactly(1, 2);
    }

    @Test
    void positionsStayGapFreeUnderConcurrentWriters() throws Exception {
        long before = store.headPosition();
        int threads = 4;
        int each = 40;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> futures = new ArrayList<>();
        String prefix = "run-" + UUID.randomUUID() + "-";
        for (int t = 0; t < threads; t++) {
            String stream = prefix + t;
            futures.add(pool.submit(() -> {
                for (int i = 0; i < each; i++) {
                    store.append(stream, ExpectedVersion.ANY, List.of(network("g.dev", "g", "10.7.0.0/24")), meta(null));
                }
            }));
        }
        for (Future<?> f : futures) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        List<Long> positions = store.readAll(before + 1, 10_000).stream().map(StoredEvent::position).toList();
        assertThat(positions).as("positions after the concurrent appends").hasSize(threads * each);
        for (int i = 0; i < positions.size(); i++) {
            assertThat(positions.get(i)).isEqualTo(before + 1 + i);
        }
        try (Connection c = temp.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT position FROM store_head")) {
            rs.next();
            assertThat(rs.getLong(1)).as("store_head").isEqualTo(before + threads * each);
        }
    }

    @Test
    void aRetriedAppendWhoseEventIdsAreStoredSucceedsWithoutWritingAgain() {
        String stream = "project-" + UUID.randomUUID();
        List<ProposedEvent> events = ProposedEvent.withNewIds(List.of(network("r.dev", "r", "10.6.0.0/24"),
                network("r.dev", "r", "10.6.0.0/24")));
        AppendResult first = store.appendProposed(stream, ExpectedVersion.NO_STREAM, events, meta(null));
        long head = store.headPosition();

        AppendResult again = store.appendProposed(stream, ExpectedVersion.NO_STREAM, events, meta(null));

        assertThat(again.alreadyStored()).as("second attempt found the first").isTrue();
        assertThat(again.firstPosition()).isEqualTo(first.firstPosition());
        assertThat(again.streamVersion()).isEqualTo(2);
        assertThat(store.headPosition()).isEqualTo(head);
        assertThat(store.readStream(stream)).hasSize(2);
    }

    @Test
    void historyFiltersByDomainTypeRunAndTimeAndPagesNewestFirst() {
        String domain = "h" + UUID.randomUUID().toString().substring(0, 8) + ".dev";
        UUID run = UUID.randomUUID();
        Instant start = Instant.now().minusSeconds(1);
        store.append("run-" + run, ExpectedVersion.NO_STREAM,
                List.of(new RunStarted(run, "provision", domain, "p", "hash", 1, "host")), meta(run));
        for (int i = 0; i < 7; i++) {
            store.append("project-" + domain, ExpectedVersion.ANY, List.of(network(domain, "n" + i, "10.5.0.0/24")),
                    meta(i % 2 == 0 ? run : null));
        }
        store.append("project-other", ExpectedVersion.ANY, List.of(network("other.dev", "x", "10.4.0.0/24")), meta(null));

        HistoryPage all = store.query(new HistoryQuery(domain, null, null, null, null, 50, null));
        assertThat(all.events()).hasSize(8);
        assertThat(all.next()).isNull();
        assertThat(all.events()).extracting(StoredEvent::position).isSortedAccordingTo(Collections.reverseOrder());

        HistoryPage page1 = store.query(new HistoryQuery(domain, null, null, null, null, 3, null));
        HistoryPage page2 = store.query(new HistoryQuery(domain, null, null, null, null, 3, page1.next()));
        HistoryPage page3 = store.query(new HistoryQuery(domain, null, null, null, null, 3, page2.next()));
        assertThat(page1.events()).hasSize(3);
        assertThat(page3.events()).hasSize(2);
        assertThat(page3.next()).isNull();
        List<Long> paged = new ArrayList<>();
        for (HistoryPage p : List.of(page1, page2, page3)) {
            p.events().forEach(e -> paged.add(e.position()));
        }
        assertThat(paged).as("pages join up").isEqualTo(all.events().stream().map(StoredEvent::position).toList());

        assertThat(store.query(new HistoryQuery(domain, "RunStarted", null, null, null, 50, null)).events()).hasSize(1);
        assertThat(store.query(new HistoryQuery(null, null, run, null, null, 50, null)).events())
                .as("events of the run").hasSize(5);
        assertThat(store.query(new HistoryQuery(domain, null, null, start, null, 50, null)).events()).hasSize(8);
        assertThat(store.query(new HistoryQuery(domain, null, null, null, start, 50, null)).events())
                .as("nothing before the start").isEmpty();
        assertThat(store.query(new HistoryQuery(domain, null, null, Instant.now().plusSeconds(60), null, 50, null))
                .events()).isEmpty();
    }

    /** An event of about {@code kb} kilobytes: a certs.d write listing many long file names. */
    static dev.lok8s.lo.events.CertsDirWritten large(String domain, int i, int kb) {
        List<String> files = new ArrayList<>();
        for (int f = 0; f < kb; f++) {
            files.add("hosts.d/" + i + "-" + f + "/" + "x".repeat(1000));
        }
        return new dev.lok8s.lo.events.CertsDirWritten(domain, "p", "/certs.d/" + i, files);
    }

    @Test
    void aPageOfLargeEventsEndsAtItsByteBudgetAndContinuesFromItsLastPosition() {
        String domain = "b" + UUID.randomUUID().toString().substring(0, 8) + ".dev";
        for (int i = 0; i < 24; i++) {
            store.append("project-" + domain, ExpectedVersion.ANY, List.of(large(domain, i, 500)), meta(null));
        }
        // 24 events of ~500 kB: the default budget of 4 MiB holds 8 of them, whatever the limit
        HistoryPage first = store.query(new HistoryQuery(domain, null, null, null, null, 10_000, null));
        assertThat(first.events()).as("events on a 4 MiB page of 500 kB events").hasSize(8);
        assertThat(first.next()).as("where the next page starts").isEqualTo(first.events().getLast().position());
        long bytes = first.events().stream().mapToLong(e -> e.payload().length()).sum();
        assertThat(bytes).isLessThanOrEqualTo(HistoryQuery.PAGE_BYTES);

        List<Long> paged = new ArrayList<>();
        Long before = null;
        int pages = 0;
        do {
            HistoryPage p = store.query(new HistoryQuery(domain, null, null, null, null, 10_000, before));
            p.events().forEach(e -> paged.add(e.position()));
            before = p.next();
            pages++;
        } while (before != null && pages < 10);
        assertThat(pages).isEqualTo(3);
        assertThat(paged).as("pages join up").hasSize(24).doesNotHaveDuplicates()
                .isSortedAccordingTo(Collections.reverseOrder());

        // a budget smaller than one event still gives one event a page, never an empty page
        HistoryPage tiny = store.query(new HistoryQuery(domain, null, null, null, null, 10_000, null).withPageBytes(1));
        assertThat(tiny.events()).hasSize(1);
        assertThat(tiny.next()).isEqualTo(tiny.events().getFirst().position());
        // the limit still counts when the events are small enough
        assertThat(store.query(new HistoryQuery(domain, null, null, null, null, 3, null)).events()).hasSize(3);

        // reading the log forward (the event stream) keeps the same budget
        long from = paged.getLast();
        List<StoredEvent> forward = store.readAll(from, 200, 2L * 1024 * 1024);
        assertThat(forward).as("a 2 MiB batch of 500 kB events").hasSize(4)
                .extracting(StoredEvent::position).containsExactly(paged.get(23), paged.get(22), paged.get(21), paged.get(20));
        assertThat(store.readAll(from, 200, 1)).hasSize(1);
    }

    @Test
    void valuesLongerThanTheirColumnsAreRecordedCutInsteadOfFailingTheAppend() throws Exception {
        EventStore store = temp.eventStore();
        UUID run = UUID.randomUUID();
        String domain = "d".repeat(5_000);
        String reason = "spec.registries.mirrors[0].url: bad\n".repeat(20_000);
        store.append("run-" + run, ExpectedVersion.NO_STREAM,
                List.of(new dev.lok8s.lo.events.RunRejected(run, domain, domain, "provision", reason)),
                new EventMetadata(run, "lo provision " + domain, "u".repeat(300), "h".repeat(300), "v".repeat(300)));

        StoredEvent stored = store.readStream("run-" + run).getFirst();
        var rejected = (dev.lok8s.lo.events.RunRejected) stored.event();
        assertThat(rejected.domain()).hasSize(dev.lok8s.lo.events.RunRejected.MAX_NAME).startsWith("ddd")
                .endsWith("[cut: 5000 characters]");
        assertThat(rejected.reason()).hasSize(dev.lok8s.lo.events.RunRejected.MAX_REASON);
        assertThat(stored.metadata().commandLine()).hasSize(4000).startsWith("lo provision ddd").contains("[cut: ");
        assertThat(stored.metadata().osUser()).hasSize(200);
        try (var c = temp.dataSource().getConnection(); var s = c.createStatement();
             var rs = s.executeQuery("SELECT domain FROM events WHERE stream_id = 'run-" + run + "'")) {
            rs.next();
            assertThat(rs.getString(1)).hasSize(253).contains("[cut: ");
        }
    }
}
