package dev.lok8s.lo.it;

import dev.lok8s.lo.events.EventMetadata;
import dev.lok8s.lo.events.NodeConnected;
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

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import javax.sql.DataSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A process killed with SIGKILL in the middle of appending leaves the store readable and
 * consistent: positions gap-free, every stream's versions contiguous, every batch whole or absent,
 * the read models at the log's head, and the next process appends after it. Three writers are
 * killed in turn, at different moments, on the same store; on each engine (on PostgreSQL the server
 * sees its client vanish mid-transaction).
 */
@ParameterizedClass
@EnumSource(StoreEngine.class)
class CrashStoreIT {

    @Parameter
    StoreEngine engine;

    TestStore temp;

    @BeforeEach
    void open() throws Exception {
        temp = engine.open();
        temp.releaseForOtherProcesses();
    }

    @AfterEach
    void close() throws Exception {
        temp.close();
    }

    @Test
    void aWriterKilledMidAppendLeavesTheLogConsistent() throws Exception {
        DataSource url = temp.dataSource();
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Set<String> reportedCommitted = new HashSet<>();
        // killed shortly after its second commit, at different offsets: it is appending all the time
        long[] killAfterMillis = {0, 37, 150};
        for (int round = 0; round < killAfterMillis.length; round++) {
            ProcessBuilder start = new ProcessBuilder(java, "-cp", classpath, CrashAppendMain.class.getName(),
                    Integer.toString(round)).redirectErrorStream(true);
            start.environment().putAll(temp.childEnvironment());
            Process writer = start.start();
            BufferedReader out = new BufferedReader(new InputStreamReader(writer.getInputStream(), StandardCharsets.UTF_8));
            List<String> lines = new ArrayList<>();
            Thread reader = Thread.ofVirtual().start(() -> out.lines().forEach(l -> {
                synchronized (lines) {
                    lines.add(l);
                }
            }));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (committed(lines).size() < 2) {
                assertThat(writer.isAlive()).as("writer %d runs: %s", round, lines).isTrue();
                assertThat(System.nanoTime()).as("writer %d commits within 120 s", round).isLessThan(deadline);
                Thread.sleep(20);
            }
            Thread.sleep(killAfterMillis[round]);
            writer.destroyForcibly();
            assertThat(writer.waitFor(30, TimeUnit.SECONDS)).as("writer %d killed", round).isTrue();
            reader.join(10_000);
            List<String> done = committed(lines);
            assertThat(done.size()).as("batches writer %d committed before the kill", round).isGreaterThan(1);
            reportedCommitted.addAll(done);
            check(url, reportedCommitted);
        }

        // The next process appends after the log, at the next position.
        EventStore store = TestStore.eventStore(url);
        long head = store.readStream("crash-0").getLast().position();
        var result = store.append("crash-after", ExpectedVersion.NO_STREAM, List.of(
                        new NodeConnected("crash.test", "crash", "after-0", "lotest-crs", null),
                        new NodeConnected("crash.test", "crash", "after-1", "lotest-crs", null),
                        new NodeConnected("crash.test", "crash", "after-2", "lotest-crs", null)),
                EventMetadata.local(null, "CrashStoreIT", "it"));
        assertThat(result.lastPosition()).as("appended after the log, at its end").isEqualTo(maxPosition(url));
        assertThat(result.firstPosition()).isGreaterThan(head);
        check(url, reportedCommitted);
    }

    private static List<String> committed(List<String> lines) {
        synchronized (lines) {
            return lines.stream().filter(l -> l.startsWith("committed ")).map(l -> l.substring(10)).toList();
        }
    }

    private static long maxPosition(DataSource url) throws Exception {
        try (var c = url.getConnection(); var s = c.createStatement();
             var rs = s.executeQuery("SELECT MAX(position) FROM events")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void check(DataSource url, Set<String> reportedCommitted) throws Exception {
        try (var c = url.getConnection(); var s = c.createStatement()) {
            List<Long> positions = new ArrayList<>();
            Map<String, List<Integer>> versions = new TreeMap<>();
            Map<String, Integer> batchSizes = new TreeMap<>();
            try (var rs = s.executeQuery("SELECT position, stream_id, stream_version, payload FROM events ORDER BY position")) {
                while (rs.next()) {
                    positions.add(rs.getLong(1));
                    versions.computeIfAbsent(rs.getString(2), k -> new ArrayList<>()).add(rs.getInt(3));
                    var node = CrashFixture.JSON.readTree(rs.getString(4)).get("node").asText();
                    batchSizes.merge(node.substring(0, node.lastIndexOf('-')), 1, Integer::sum);
                }
            }
            for (int i = 0; i < positions.size(); i++) {
                assertThat(positions.get(i)).as("position #%d: gap-free from 1", i).isEqualTo(i + 1L);
            }
            versions.forEach((stream, v) -> {
                v.sort(null);
                for (int i = 0; i < v.size(); i++) {
                    assertThat(v.get(i)).as("%s version #%d: contiguous from 1", stream, i).isEqualTo(i + 1);
                }
            });
            batchSizes.forEach((batch, n) -> assertThat(n).as("batch %s whole", batch).isEqualTo(3));
            assertThat(batchSizes.keySet()).as("every batch a writer reported committed is in the log")
                    .containsAll(reportedCommitted);
            long head;
            try (var rs = s.executeQuery("SELECT position FROM store_head")) {
                rs.next();
                head = rs.getLong(1);
            }
            assertThat(head).as("store head = last position").isEqualTo(positions.isEmpty() ? 0 : positions.getLast());
            try (var rs = s.executeQuery("SELECT position FROM projection_position")) {
                rs.next();
                assertThat(rs.getLong(1)).as("read models at the head").isEqualTo(head);
            }
            try (var rs = s.executeQuery("SELECT COUNT(*) FROM network_users WHERE network = 'lotest-crs'")) {
                rs.next();
                assertThat(rs.getLong(1)).as("a read-model row per stored event").isEqualTo(positions.size());
            }
        }
    }
}
