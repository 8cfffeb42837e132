package dev.lok8s.lo.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lok8s.lo.spec.SpecBuilder;
import dev.lok8s.lo.store.StoreLocation;
import org.h2.jdbcx.JdbcDataSource;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static dev.lok8s.lo.it.TestDocker.docker;
import static dev.lok8s.lo.it.TestDocker.lines;

/**
 * Shared by the crash, lease and concurrency ITs: specs, the test's own upstream registry, a
 * snapshot of the Docker state a test owns, and the event log read straight from the store file.
 */
final class CrashFixture {

    static final ObjectMapper JSON = new ObjectMapper();

    private CrashFixture() {
    }

    /** A project spec; {@code sharedName == null} puts the mirror on the project network. */
    static Path writeSpec(Path dir, String project, String domain, String projectNetwork, String projectCidr,
                          String sharedName, String sharedCidr, String mirrorUrl) {
        SpecBuilder spec = SpecBuilder.named(project).domain(domain).network(projectNetwork, projectCidr);
        spec = sharedName == null ? spec.shared(false) : spec.shared(true).sharedNetwork(sharedName, sharedCidr);
        return spec.mirrors("up", mirrorUrl).nodes(1, 0).writeIn(dir);
    }

    /** The shared network as lo would create it, plus the test's label, so the upstream can live on it first. */
    static void createSharedNetwork(String testId, String name, String cidr) {
        String base = cidr.substring(0, cidr.lastIndexOf('.'));
        docker("network", "create", "--driver", "bridge", "--subnet", cidr, "--gateway", base + ".1",
                "--ip-range", base + ".192/26",
                "--label", "dev.lok8s.managed-by=lo", "--label", "dev.lok8s.role=network",
                "--label", "dev.lok8s.scope=shared", "--label", "dev.lok8s.test=" + testId, name);
    }

    /** A plain registry (the mirror's upstream) on {@code network} at {@code ip}, port 5000. */
    static void startUpstream(String testId, String name, String network, String ip) {
        docker("run", "-d", "--name", name, "--network", network, "--ip", ip, "--label", "dev.lok8s.test=" + testId,
                LoCli.REGISTRY_IMAGE);
    }

    /**
     * Everything of the test on Docker, as sorted lines: containers (name, image, labels, address per network,
     * volumes), networks (name, subnet, labels), volumes (name, labels). Node IPs are dynamic but allocated the same
     * way on a fresh network, so they are compared too.
     */
    static List<String> dockerState(String testId) {
        List<String> out = new ArrayList<>();
        List<String> ids = new ArrayList<>(lines(docker("ps", "-aq", "--filter", "label=dev.lok8s.test=" + testId)));
        ids.addAll(lines(docker("ps", "-aq", "--filter", "label=dev.lok8s.test.id=" + testId)));
        for (String id : ids.stream().distinct().toList()) {
            out.add("container " + docker("inspect", "--format",
                    "{{.Name}} {{.Config.Image}} {{json .Config.Labels}} nets:{{range $k, $v := .NetworkSettings.Networks}}"
                            + "{{$k}}={{if $v.IPAMConfig}}{{$v.IPAMConfig.IPv4Address}}{{end}}/{{$v.IPAddress}};{{end}}"
                            + " vols:{{range .Mounts}}{{if eq .Type \"volume\"}}{{.Name}}->{{.Destination}};{{end}}{{end}}",
                    id).replaceAll("=/([0-9.]+);", "=$1;").replaceAll("=([0-9.]+)/[0-9.]*;", "=$1;"));
        }
        for (String net : lines(docker("network", "ls", "-q", "--filter", "label=dev.lok8s.test=" + testId))) {
            out.add("network " + docker("network", "inspect", "--format",
                    "{{.Name}} {{range .IPAM.Config}}{{.Subnet}} {{.IPRange}}{{end}} {{json .Labels}}", net));
        }
        for (String vol : lines(docker("volume", "ls", "-q", "--filter", "label=dev.lok8s.test=" + testId))) {
            out.add("volume " + docker("volume", "inspect", "--format", "{{.Name}} {{json .Labels}}", vol));
        }
        return out.stream().sorted().toList();
    }

    /** One stored event. */
    record Event(long position, String stream, int version, String type, JsonNode payload, UUID runId) {
        String text(String field) {
            JsonNode node = payload.get(field);
            return node == null || node.isNull() ? null : node.asText();
        }
    }

    /** The whole log, by position, read from the store file (no lo process may have it open for long). */
    static List<Event> events(Path stateDir) {
        JdbcDataSource ds = dev.lok8s.lo.store.TempStore.dataSource(StoreLocation.h2Url(stateDir));
        List<Event> out = new ArrayList<>();
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT position, stream_id, stream_version, event_type, payload, run_id"
                     + " FROM events ORDER BY position")) {
            while (rs.next()) {
                out.add(new Event(rs.getLong(1), rs.getString(2), rs.getInt(3), rs.getString(4),
                        JSON.readTree(rs.getString(5)), rs.getObject(6, UUID.class)));
            }
        } catch (SQLException | IOException e) {
            throw new AssertionError("cannot read the event store in " + stateDir + ": " + e, e);
        }
        return out;
    }

    /** Rows of a query on the store (read models, leases). */
    static List<List<Object>> query(Path stateDir, String sql) {
        JdbcDataSource ds = dev.lok8s.lo.store.TempStore.dataSource(StoreLocation.h2Url(stateDir));
        List<List<Object>> rows = new ArrayList<>();
        try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<Object> row = new ArrayList<>();
                for (int i = 1; i <= n; i++) {
                    row.add(rs.getObject(i));
                }
                rows.add(row);
            }
        } catch (SQLException e) {
            throw new AssertionError("cannot query the store in " + stateDir + ": " + e, e);
        }
        return rows;
    }

    /** The plan's step ids, in plan order, from {@code lo provision --dry-run -o json}. */
    static List<String> planSteps(LoCli lo, Path dir, Path spec) {
        LoCli.Result plan = lo.run(dir, "provision", "--dry-run", "-o", "json", "-f", spec.toString());
        if (plan.exitCode() != 0) {
            throw new AssertionError("dry run failed: " + plan);
        }
        try {
            List<String> ids = new ArrayList<>();
            JSON.readTree(plan.stdout()).get("steps").forEach(step -> ids.add(step.get("id").asText()));
            return ids;
        } catch (IOException e) {
            throw new AssertionError("unreadable plan JSON: " + plan.stdout(), e);
        }
    }

    /**
     * Reads a started process's stderr line by line until a line matches, keeping what was read. Bounded: fails
     * after {@code seconds}.
     */
    static final class StderrWatch {
        private final StringBuilder seen = new StringBuilder();
        private final BufferedReader reader;

        StderrWatch(Process process) {
            this.reader = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8));
        }

        String await(Predicate<String> line, long seconds) {
            CompletableFuture<String> found = CompletableFuture.supplyAsync(() -> {
                try {
                    String l;
                    while ((l = reader.readLine()) != null) {
                        synchronized (seen) {
                            seen.append(l).append('\n');
                        }
                        if (line.test(l)) {
                            return l;
                        }
                    }
                    return null;
                } catch (IOException e) {
                    return null;
                }
            });
            try {
                String l = found.get(seconds, TimeUnit.SECONDS);
                if (l == null) {
                    throw new AssertionError("the process ended before the awaited line; stderr:\n" + seen());
                }
                return l;
            } catch (java.util.concurrent.TimeoutException e) {
                throw new AssertionError("no awaited line within " + seconds + " s; stderr:\n" + seen());
            } catch (InterruptedException | java.util.concurrent.ExecutionException e) {
                throw new AssertionError(e);
            }
        }

        /** The rest of stderr, after the process ended. */
        String rest() {
            try {
                String l;
                while ((l = reader.readLine()) != null) {
                    synchronized (seen) {
                        seen.append(l).append('\n');
                    }
                }
            } catch (IOException ignored) {
                // the stream closed with the process
            }
            return seen();
        }

        String seen() {
            synchronized (seen) {
                return seen.toString();
            }
        }
    }
}
