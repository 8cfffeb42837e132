package dev.lok8s.lo.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The launcher prints {@code lo [COMMAND...] --help} from the usage texts of the build
 * (quarkus-app/help) without starting a JVM, and prints exactly what Java prints for the same request.
 * No Docker needed.
 */
class LauncherHelpIT {

    static Path temp;
    static Path fakeJava;
    static Path help;

    @BeforeAll
    static void setUp() throws IOException {
        temp = Files.createTempDirectory("lo-launcher-help-");
        help = LoCli.checkoutRoot().resolve("cli/target/quarkus-app/help");
        // A "Java 25" that only leaves a mark: a request answered from the texts never starts it.
        fakeJava = temp.resolve("jdk");
        Files.createDirectories(fakeJava.resolve("bin"));
        Files.writeString(fakeJava.resolve("release"), "JAVA_VERSION=\"25.0.3\"\n");
        Path java = fakeJava.resolve("bin/java");
        Files.writeString(java, "#!/bin/sh\ntouch '" + temp.resolve("java-started") + "'\nexit 3\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
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
    void everyUsageTextIsPrintedWithoutAJvmAndAsJavaPrintsIt() throws Exception {
        assertThat(help).as("the build writes the usage texts").isDirectory();
        List<String> names;
        try (Stream<Path> files = Files.list(help)) {
            names = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".txt")).sorted().toList();
        }
        assertThat(names).contains("lo.txt", "lo_registry_status.txt", "lo_runs_show.txt");
        for (String name : names) {
            List<String> args = new ArrayList<>(List.of(name.replaceFirst("\\.txt$", "").split("_")));
            args.removeFirst();  // "lo"
            for (String flag : List.of("--help", "-h")) {
                List<String> request = new ArrayList<>(args);
                request.add(flag);
                Files.deleteIfExists(temp.resolve("java-started"));
                Run fromText = launch(request, Map.of("LO_JAVA_HOME", fakeJava.toString()));
                assertThat(fromText.exit()).as("lo %s from the text: %s", request, fromText).isZero();
                assertThat(temp.resolve("java-started")).as("lo %s started no JVM", request).doesNotExist();
                Run fromJava = launch(request, Map.of("LO_JAVA_OPTS", "-Dlo.launcher.help=java"));
                assertThat(fromJava.exit()).as("lo %s from Java", request).isZero();
                assertThat(fromText.out()).as("lo %s", request).isEqualTo(fromJava.out()).isNotBlank();
                assertThat(fromText.err()).as("lo %s stderr", request).isEqualTo(fromJava.err());
            }
        }
    }

    @Test
    void requestsTheTextsDoNotCoverGoToJava() throws Exception {
        for (List<String> request : List.of(List.of("nosuchcommand", "--help"), List.of("provision", "lok8s.dev", "--help"),
                List.of("--help", "runs"), List.of("runs", "--help"))) {
            Files.deleteIfExists(temp.resolve("java-started"));
            Map<String, String> env = request.equals(List.of("runs", "--help"))
                    ? Map.of("LO_JAVA_HOME", fakeJava.toString(), "NO_COLOR", "1")  // picocli's colour choice: Java decides
                    : Map.of("LO_JAVA_HOME", fakeJava.toString());
            Run run = launch(request, env);
            assertThat(temp.resolve("java-started")).as("lo %s is left to Java", request).exists();
            assertThat(run.exit()).as("the fake Java's exit code").isEqualTo(3);
        }
    }

    private record Run(int exit, String out, String err) {
    }

    private static Run launch(List<String> args, Map<String, String> env) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(LoCli.checkoutRoot().resolve("deploy/lo").toString());
        command.addAll(args);
        Path out = temp.resolve("out");
        Path err = temp.resolve("err");
        ProcessBuilder pb = new ProcessBuilder(command).directory(temp.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().remove("LO_JAVA_OPTS");
        pb.environment().remove("NO_COLOR");
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("lo " + args + " did not finish within 120 s");
        }
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }
}
