package dev.lok8s.lo.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.DataInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The build's AOT caches (deploy/aot-train.sh): picocli's classes rewritten so the cache can hold them, a
 * cache per family of frequent commands trained on a real run of lo's code, and the launcher giving each
 * command its family's cache. Uses the packaged build; no Docker needed (the training runs in memory).
 */
class AotCachesIT {

    static Path temp;
    static Path app;

    @BeforeAll
    static void setUp() throws IOException {
        temp = Files.createTempDirectory("lo-aot-caches-");
        app = LoCli.checkoutRoot().resolve("cli/target/quarkus-app");
    }

    @AfterAll
    static void tearDown() throws IOException {
        try (Stream<Path> walk = Files.walk(temp)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    @Test
    void everyPackagedClassIsOneTheCacheCanHold() throws IOException {
        List<String> old = new ArrayList<>();
        try (Stream<Path> jars = Files.list(app.resolve("lib/main"))) {
            for (Path jar : jars.filter(p -> p.toString().endsWith(".jar")).toList()) {
                try (ZipInputStream in = new ZipInputStream(Files.newInputStream(jar))) {
                    for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                        if (e.getName().endsWith(".class") && majorVersion(in) < 50) {
                            old.add(jar.getFileName() + "!" + e.getName());
                        }
                    }
                }
            }
        }
        assertThat(old).as("class files older than Java 6, which the JDK's AOT cache skips").isEmpty();
    }

    private static int majorVersion(InputStream in) throws IOException {
        DataInputStream data = new DataInputStream(in);
        data.readInt(); // magic
        data.readUnsignedShort(); // minor
        return data.readUnsignedShort();
    }

    @Test
    void theBuildTrainsACachePerFamilyOfCommands() {
        Path jar = app.resolve("quarkus-run.jar");
        for (String cache : List.of("lo.aot", "lo-run.aot", "lo-status.aot", "lo-help.aot")) {
            assertThat(app.resolve(cache)).as(cache).exists();
            assertThat(app.resolve(cache).toFile().lastModified()).as(cache + " newer than the jar")
                    .isGreaterThanOrEqualTo(jar.toFile().lastModified());
        }
    }

    @Test
    void theLauncherGivesEachCommandItsFamilysCache() throws Exception {
        assertThat(cacheOpenedFor("registry", "status", "lok8s.dev")).endsWith("lo-status.aot");
        assertThat(cacheOpenedFor("doctor", "lok8s.dev")).endsWith("lo-status.aot");
        assertThat(cacheOpenedFor("registry", "up", "lok8s.dev")).endsWith("lo-run.aot");
        assertThat(cacheOpenedFor("provision", "lok8s.dev")).endsWith("lo-run.aot");
        assertThat(cacheOpenedFor("runs")).endsWith("/lo.aot");
        assertThat(cacheOpenedFor("history")).endsWith("/lo.aot");
    }

    @Test
    void picocliAndTheStatusCommandComeFromTheCache() throws Exception {
        Path log = temp.resolve("classes.log");
        launch(List.of("registry", "status", "lok8s.dev"), "-Xlog:class+load=info:file=" + log);
        List<String> lines = Files.readAllLines(log);
        assertThat(lines).filteredOn(l -> l.contains(" picocli.CommandLine ")).singleElement().asString()
                .contains("source: shared objects file");
        assertThat(lines).filteredOn(l -> l.contains(" dev.lok8s.lo.cli.RegistryCommand "))
                .singleElement().asString().contains("source: shared objects file");
    }

    @Test
    void theTrainingWorkloadsRunLosOwnCommandsToTheirEnd() throws Exception {
        Path state = Files.createDirectories(temp.resolve("train-state"));
        for (List<String> args : List.of(List.of("runs"), List.of("train", "run"), List.of("train", "status"))) {
            assertThat(java(state, args).exitValue()).as(String.join(" ", args)).isZero();
        }
        Process runs = java(state, List.of("runs"));
        String listed = new String(runs.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        // cold, then again with everything in place, then down: each completed
        assertThat(listed.lines().filter(l -> l.contains("registry up") && l.contains("completed"))).hasSize(2);
        assertThat(listed.lines().filter(l -> l.contains("registry down") && l.contains("completed"))).hasSize(1);
    }

    private static Process java(Path state, List<String> args) throws Exception {
        List<String> command = new ArrayList<>(List.of(LoCli.java().toString()));
        command.addAll(LoCli.LAUNCHER_OPTIONS);
        command.addAll(List.of("-jar", app.resolve("quarkus-run.jar").toString()));
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).directory(temp.toFile())
                .redirectError(temp.resolve("java.err").toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().put("LO_STATE_DIR", state.toString());
        pb.environment().put("DOCKER_HOST", "unix://" + temp.resolve("no-docker.sock"));
        Process p = pb.start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("lo " + args + " ends").isTrue();
        return p;
    }

    /** The cache the JVM opened for {@code lo ARGS} started by the launcher. */
    private static String cacheOpenedFor(String... args) throws Exception {
        Path log = temp.resolve("aot.log");
        Files.deleteIfExists(log);
        launch(List.of(args), "-Xlog:aot=info:file=" + log);
        return Files.readAllLines(log).stream().filter(l -> l.contains("Opened AOT cache"))
                .map(l -> l.substring(l.indexOf("Opened AOT cache ") + "Opened AOT cache ".length()).replaceAll("\\.$", ""))
                .findFirst().orElse("(none)");
    }

    /** Runs deploy/lo in an empty directory with no Docker; the command fails or not, only the JVM's log matters. */
    private static void launch(List<String> args, String javaOptions) throws Exception {
        List<String> command = new ArrayList<>(List.of(LoCli.checkoutRoot().resolve("deploy/lo").toString()));
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).directory(temp.toFile())
                .redirectOutput(temp.resolve("out").toFile()).redirectError(temp.resolve("err").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().put("LO_JAVA_OPTS", javaOptions);
        pb.environment().put("LO_STATE_DIR", Files.createDirectories(temp.resolve("state")).toString());
        pb.environment().put("DOCKER_HOST", "unix://" + temp.resolve("no-docker.sock"));
        Process p = pb.start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("lo " + args + " ends").isTrue();
    }
}
