package dev.lok8s.lo.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The docker CLI, for tests to look at and clean up what lo did, independently of lo's own
 * engine adapter. Cleanup goes by the test's label only, never by name.
 */
public final class TestDocker {

    private TestDocker() {
    }

    /** Runs {@code docker args...}; returns trimmed stdout, or throws with stderr on failure. */
    public static String docker(String... args) {
        Exec result = exec(args);
        if (result.code != 0) {
            throw new AssertionError("docker " + String.join(" ", args) + " failed (" + result.code + "): " + result.err);
        }
        return result.out.strip();
    }

    /** Like {@link #docker} but returns the exit code and output instead of failing. */
    public static Exec exec(String... args) {
        List<String> command = new ArrayList<>();
        command.add("docker");
        command.addAll(Arrays.asList(args));
        try {
            Process p = new ProcessBuilder(command).start();
            p.getOutputStream().close();
            var out = new java.util.concurrent.CompletableFuture<String>();
            Thread.ofVirtual().start(() -> {
                try {
                    out.complete(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
                } catch (IOException e) {
                    out.complete("");
                }
            });
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("docker " + String.join(" ", args) + " did not finish in 120 s");
            }
            return new Exec(p.exitValue(), out.get(10, TimeUnit.SECONDS), err);
        } catch (Exception e) {
            throw new AssertionError("cannot run docker " + String.join(" ", args) + ": " + e, e);
        }
    }

    public record Exec(int code, String out, String err) {
    }

    public static List<String> lines(String text) {
        return text.isBlank() ? List.of() : text.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    }

    /** Containers (any state) carrying the label {@code key=value}. */
    public static List<String> containers(String label) {
        return lines(docker("ps", "-a", "--filter", "label=" + label, "--format", "{{.Names}}"));
    }

    public static List<String> networks(String label) {
        return lines(docker("network", "ls", "--filter", "label=" + label, "--format", "{{.Name}}"));
    }

    public static List<String> volumes(String label) {
        return lines(docker("volume", "ls", "--filter", "label=" + label, "--format", "{{.Name}}"));
    }

    /**
     * Removes everything a test created: containers labelled {@code dev.lok8s.test=<id>} or
     * {@code dev.lok8s.test.id=<id>} (the stand-in kind's nodes), then volumes and networks.
     */
    public static void cleanUp(String testId) {
        List<String> all = new ArrayList<>(containers("dev.lok8s.test=" + testId));
        all.addAll(containers("dev.lok8s.test.id=" + testId));
        if (!all.isEmpty()) {
            List<String> args = new ArrayList<>(List.of("rm", "-f"));
            args.addAll(all);
            exec(args.toArray(String[]::new));
        }
        for (String volume : volumes("dev.lok8s.test=" + testId)) {
            exec("volume", "rm", "-f", volume);
        }
        for (String network : networks("dev.lok8s.test=" + testId)) {
            exec("network", "rm", network);
        }
    }
}
