package dev.lok8s.lo.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the packaged {@code lo} as a real OS process, the way a user does, with test-only
 * settings: its own store, a name prefix and a {@code dev.lok8s.test} label on everything it
 * creates, the offline registry image, and the stand-in kind. Every call is bounded in time.
 */
public final class LoCli {

    /** What a call printed and returned. */
    public record Result(int exitCode, String stdout, String stderr) {
        public String all() {
            return stdout + stderr;
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + stdout + "\n--- stderr\n" + stderr;
        }
    }

    public static final String REGISTRY_IMAGE = "lok8s.local/registry:2.8.2";
    /** The host port rule's base in tests: ports 13001 to 15552, away from the default rule's 20001 to 22552. */
    public static final int TEST_HOST_PORT_BASE = 13000;

    private final String testId;
    private final Path stateDir;
    private final Map<String, String> env = new LinkedHashMap<>();
    private long timeoutSeconds = 240;

    private LoCli(String testId, Path stateDir) {
        this.testId = testId;
        this.stateDir = stateDir;
        env.put("LO_STATE_DIR", stateDir.toString());
        env.put("LO_NAME_PREFIX", "lotest-" + testId + "-");
        env.put("LO_EXTRA_LABELS", "dev.lok8s.test=" + testId);
        env.put("LO_REGISTRY_IMAGE", REGISTRY_IMAGE);
        env.put("LO_KIND_PATH", repoRoot().resolve("src/test/kind/kind").toString());
        env.put("LO_TEST_KIND_LABELS", "dev.lok8s.test.id=" + testId);
        env.put("LO_MIRROR_WAIT", "3s");
        // build and cache on 127.0.0.1:(13000 + 10 * slot + 1|2): never the ports of a user's projects (20000 + ...)
        env.put("LO_HOST_PORT_BASE", Integer.toString(TEST_HOST_PORT_BASE));
        // The stand-in kind's nodes run no API server; RegistryDiscoveryIT turns this on against a mock one.
        env.put("LO_REGISTRY_DISCOVERY", "false");
    }

    /** A CLI for one test class: {@code testId} names (and labels) everything it creates. */
    public static LoCli forTest(String testId, Path stateDir) {
        return new LoCli(testId, stateDir);
    }

    public String testId() {
        return testId;
    }

    public Path stateDir() {
        return stateDir;
    }

    public String prefix() {
        return "lotest-" + testId + "-";
    }

    public LoCli env(String key, String value) {
        if (value == null) {
            env.remove(key);
        } else {
            env.put(key, value);
        }
        return this;
    }

    /** The environment every call gets (the test's store, prefix, labels...): for processes started otherwise. */
    public Map<String, String> environment() {
        return Map.copyOf(env);
    }

    public LoCli timeoutSeconds(long seconds) {
        this.timeoutSeconds = seconds;
        return this;
    }

    /** The checkout (where deploy/ is), above the module the tests run in. */
    public static Path checkoutRoot() {
        Path dir = repoRoot();
        while (dir != null && !Files.exists(dir.resolve("deploy/lo"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("no deploy/lo above " + repoRoot());
        }
        return dir;
    }

    public static Path repoRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("pom.xml"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("cannot find the repository root from " + Path.of("").toAbsolutePath());
        }
        return dir;
    }

    static Path jar() {
        String configured = System.getProperty("lo.jar");
        Path jar = configured != null ? Path.of(configured) : repoRoot().resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("lo is not packaged at " + jar + ": run the tests with ./mvnw verify");
        }
        return jar;
    }

    private static java.util.Optional<Path> aotCache;

    /** The JVM options deploy/lo gives a command (and deploy/aot-train.sh trains with). */
    static final List<String> LAUNCHER_OPTIONS = List.of("-XX:TieredStopAtLevel=1", "-XX:C1MaxInlineSize=16",
            "-XX:+UseSerialGC", "-Xms16m", "-Xmn8m", "-XX:-UsePerfData");

    /**
     * The JDK AOT cache the launcher uses in production: the one the build trained next to the jar
     * (deploy/aot-train.sh, {@code lo.aot}) when it is newer than the jar, otherwise one trained once
     * per test JVM on this jar (the hidden {@code lo train} command): every lo process of the suite
     * starts faster. Without it (training failed), processes start the plain way.
     */
    static synchronized java.util.Optional<Path> aotCache() {
        if (aotCache != null) {
            return aotCache;
        }
        Path jar = jar();
        Path built = jar.getParent().resolve("lo.aot");
        try {
            if (Files.isRegularFile(built)
                    && Files.getLastModifiedTime(built).compareTo(Files.getLastModifiedTime(jar)) > 0) {
                aotCache = java.util.Optional.of(built);
                return aotCache;
            }
        } catch (IOException e) {
            // fall through: train one for the tests
        }
        Path cache = jar.getParent().resolve("lo-it.aot");
        try {
            if (!Files.isRegularFile(cache) || Files.getLastModifiedTime(cache).compareTo(
                    Files.getLastModifiedTime(jar)) < 0) {
                Path state = Files.createTempDirectory("lo-aot-train");
                List<String> trainCommand = new ArrayList<>(List.of(java().toString()));
                trainCommand.addAll(LAUNCHER_OPTIONS);
                trainCommand.addAll(List.of("-XX:AOTCacheOutput=" + cache, "-Xlog:disable", "-Xlog:all=off",
                        "-jar", jar.toString(), "train"));
                ProcessBuilder train = new ProcessBuilder(trainCommand)
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
                train.environment().put("LO_STATE_DIR", state.toString());
                Process process = train.start();
                if (!process.waitFor(180, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            }
            aotCache = Files.isRegularFile(cache) ? java.util.Optional.of(cache) : java.util.Optional.empty();
        } catch (IOException e) {
            aotCache = java.util.Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            aotCache = java.util.Optional.empty();
        }
        return aotCache;
    }

    static Path java() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    /** Runs {@code lo args...} in {@code workDir} and waits for it, bounded. */
    public Result run(Path workDir, String... args) {
        Process process = start(workDir, args);
        return await(process);
    }

    /** Starts {@code lo args...} without waiting: for concurrency and crash tests. */
    public Process start(Path workDir, String... args) {
        List<String> command = new ArrayList<>(List.of(java().toString()));
        command.addAll(LAUNCHER_OPTIONS);
        aotCache().ifPresent(cache -> command.addAll(List.of("-XX:AOTCache=" + cache, "-Xlog:disable",
                "-Xlog:all=off")));
        command.addAll(List.of("-jar", jar().toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile());
        builder.environment().putAll(env);
        builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        try {
            return builder.start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start lo: " + e.getMessage(), e);
        }
    }

    public Result await(Process process) {
        try {
            var out = process.getInputStream();
            var err = process.getErrorStream();
            var stdout = new java.util.concurrent.CompletableFuture<String>();
            var stderr = new java.util.concurrent.CompletableFuture<String>();
            Thread.ofVirtual().start(() -> stdout.complete(readAll(out)));
            Thread.ofVirtual().start(() -> stderr.complete(readAll(err)));
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("lo did not finish within " + timeoutSeconds + " s; stderr so far: "
                        + stderr.getNow("(unread)"));
            }
            return new Result(process.exitValue(), stdout.get(10, TimeUnit.SECONDS), stderr.get(10, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new AssertionError("cannot read lo's output", e);
        }
    }

    private static String readAll(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }
}
