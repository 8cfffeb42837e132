package dev.lok8s.lo.store;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Four OS processes append to one store at once, on each engine. On H2 they share one file through
 * AUTO_SERVER and finish at different times, so the process serving the file exits while others still
 * write: their connections break and the store's retry must carry them over without losing or doubling
 * an event. On PostgreSQL they are four clients of one server, as several machines are.
 */
@ParameterizedClass
@EnumSource(StoreEngine.class)
class StoreProcessesIT {

    @Parameter
    StoreEngine engine;

    static final int PROCESSES = 4;
    static final int SHARED_EACH = 20;

    Path dir;
    TestStore store;

    @BeforeEach
    void migrate() throws Exception {
        dir = Files.createTempDirectory("lo-it-");
        store = engine.open();
        store.releaseForOtherProcesses();
    }

    @AfterEach
    void clean() throws Exception {
        store.close();
        TempStore.deleteTree(dir);
    }

    static int own(int i) {
        return 20 + 25 * i;
    }

    static String threadDump(long pid) {
        try {
            Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                    Long.toString(pid), "Thread.print").redirectErrorStream(true).start();
            String out = new String(jcmd.getInputStream().readAllBytes());
            jcmd.waitFor(30, TimeUnit.SECONDS);
            return out;
        } catch (Exception e) {
            return "(no thread dump: " + e + ")\n";
        }
    }

    @Test
    void fourProcessesAppendGapFreeWithoutLosingOrDoublingEvents() throws Exception {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<Process> processes = new ArrayList<>();
        List<Path> logs = new ArrayList<>();
        for (int i = 0; i < PROCESSES; i++) {
            Path log = dir.resolve("p" + i + ".log");
            logs.add(log);
            ProcessBuilder writer = new ProcessBuilder(java, "-cp", classpath, StoreProcessMain.class.getName(), "p" + i,
                    Integer.toString(own(i)), Integer.toString(SHARED_EACH))
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            writer.environment().putAll(store.childEnvironment());
            processes.add(writer.start());
        }
        for (int i = 0; i < PROCESSES; i++) {
            Process p = processes.get(i);
            // generous: the machines that run this are shared, 2 cores, sometimes at load 15
            if (!p.waitFor(300, TimeUnit.SECONDS)) {
                StringBuilder dumps = new StringBuilder();
                for (int j = 0; j < PROCESSES; j++) {
                    dumps.append("--- p").append(j).append(":\n").append(Files.readString(logs.get(j)));
                    if (processes.get(j).isAlive()) {
                        dumps.append(threadDump(processes.get(j).pid()));
                    }
                }
                processes.forEach(Process::destroyForcibly);
                fail("writer p" + i + " did not finish within 300 s:\n" + dumps);
            }
        }
        StringBuilder output = new StringBuilder();
        for (int i = 0; i < PROCESSES; i++) {
            String log = Files.readString(logs.get(i));
            output.append(log);
            assertThat(processes.get(i).exitValue()).as("exit code of p" + i + ":\n" + log).isZero();
            assertThat(log).as("p" + i).doesNotContainIgnoringCase("already in use").contains("done p" + i);
        }
        System.out.print(output);

        int expectedTotal = 0;
        for (int i = 0; i < PROCESSES; i++) {
            expectedTotal += own(i) + SHARED_EACH;
        }
        try (Connection c = store.dataSource().getConnection(); Statement s = c.createStatement()) {
            List<Long> positions = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("SELECT position FROM events ORDER BY position")) {
                while (rs.next()) {
                    positions.add(rs.getLong(1));
                }
            }
            assertThat(positions).as("event count").hasSize(expectedTotal);
            for (int i = 0; i < positions.size(); i++) {
                assertThat(positions.get(i)).as("position #" + i).isEqualTo(i + 1L);
            }
            Map<String, List<Integer>> versions = new TreeMap<>();
            try (ResultSet rs = s.executeQuery("SELECT stream_id, stream_version FROM events ORDER BY stream_id, stream_version")) {
                while (rs.next()) {
                    versions.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getInt(2));
                }
            }
            assertThat(versions.keySet()).hasSize(PROCESSES + 1);
            versions.forEach((stream, v) -> {
                for (int i = 0; i < v.size(); i++) {
                    assertThat(v.get(i)).as(stream + " version #" + i).isEqualTo(i + 1);
                }
            });
            assertThat(versions.get("network-shared")).hasSize(PROCESSES * SHARED_EACH);
            for (int i = 0; i < PROCESSES; i++) {
                assertThat(versions.get("project-p" + i)).hasSize(own(i));
            }
            try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM network_users")) {
                rs.next();
                assertThat(rs.getInt(1)).as("read model rows written with the events").isEqualTo(expectedTotal);
            }
        }
        if (store instanceof TempStore h2) {
            assertThat(new File(h2.dir.toFile(), "lo.mv.db")).exists();
        }
    }
}
