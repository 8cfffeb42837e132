package dev.lok8s.lo.kind;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The {@code kind} executable, run as a child process. lo does not reimplement kind: it hands
 * kind the rendered cluster config and the project network through
 * {@code KIND_EXPERIMENTAL_DOCKER_NETWORK}, which is how kind itself is told which network to use.
 */
public final class KindExecutable {

    /** Label kind puts on every node container; its value is the cluster name. */
    public static final String CLUSTER_LABEL = "io.x-k8s.kind.cluster";

    private final String configuredPath;
    private final Map<String, String> environment;
    private final long timeoutSeconds;

    /**
     * @param configuredPath an explicit path, or null to search the PATH of {@code environment}
     * @param environment    the environment to search and pass on (normally System.getenv())
     */
    public KindExecutable(String configuredPath, Map<String, String> environment, long timeoutSeconds) {
        this.configuredPath = configuredPath;
        this.environment = Map.copyOf(environment);
        this.timeoutSeconds = timeoutSeconds;
    }

    /** The same settings with another executable (the one the log says created a cluster). */
    public KindExecutable at(String path) {
        return new KindExecutable(path, environment, timeoutSeconds);
    }

    /** The executable that would run, if there is one. */
    public Optional<Path> locate() {
        if (configuredPath != null && !configuredPath.isBlank()) {
            Path path = Path.of(configuredPath);
            return Files.isExecutable(path) ? Optional.of(path) : Optional.empty();
        }
        String searchPath = environment.getOrDefault("PATH", "");
        for (String dir : searchPath.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, "kind");
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private Path require() {
        return locate().orElseThrow(() -> new KindException(configuredPath != null && !configuredPath.isBlank()
                ? "kind executable '" + configuredPath + "' (lo.kind.path) does not exist or is not executable: "
                        + "fix the path or unset it to search the PATH"
                : "kind executable not found on the PATH: install kind (https://kind.sigs.k8s.io/) "
                        + "or point LO_KIND_PATH at it; 'lo registry up' provisions the registries without a cluster"));
    }

    public List<String> clusters() {
        List<String> out = new ArrayList<>();
        run(List.of("get", "clusters"), Map.of(), out::add);
        return out.stream().map(String::strip)
                .filter(line -> !line.isEmpty() && !line.startsWith("No kind clusters found"))
                .toList();
    }

    /** Creates the cluster from a rendered config, on the given Docker network. */
    public void createCluster(String name, String config, String network, Consumer<String> output) {
        Path file;
        try {
            file = Files.createTempFile("lo-kind-", ".yaml");
            Files.writeString(file, config);
        } catch (IOException e) {
            throw new KindException("cannot write the kind config to a temp file: " + e.getMessage());
        }
        try {
            run(List.of("create", "cluster", "--name", name, "--config", file.toString()),
                    Map.of("KIND_EXPERIMENTAL_DOCKER_NETWORK", network), output);
        } finally {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a leftover temp file is harmless
            }
        }
    }

    /**
     * The cluster's kubeconfig as {@code kind get kubeconfig} prints it (the API server as the host
     * reaches it). It holds the cluster's admin credentials: keep it in memory, never log it.
     */
    public String kubeconfig(String name) {
        StringBuilder out = new StringBuilder();
        run(List.of("get", "kubeconfig", "--name", name), Map.of(), line -> out.append(line).append('\n'));
        return out.toString();
    }

    public void deleteCluster(String name, Consumer<String> output) {
        run(List.of("delete", "cluster", "--name", name), Map.of(), output);
    }

    private void run(List<String> args, Map<String, String> extraEnv, Consumer<String> output) {
        Path executable = require();
        List<String> command = new ArrayList<>();
        command.add(executable.toString());
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().clear();
        builder.environment().putAll(environment);
        builder.environment().putAll(extraEnv);
        String what = "'kind " + String.join(" ", args) + "'";
        Deque<String> tail = new ArrayDeque<>();
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new KindException("cannot run " + executable + ": " + e.getMessage());
        }
        // kind's output is read beside the clock, not before it: a kind that hangs while printing, or
        // prints nothing, still runs into the timeout
        Thread reader = Thread.ofVirtual().name("lo-kind-output").start(() -> forward(process, output, tail));
        try {
            process.getOutputStream().close();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                killTree(process);
                throw new KindException(what + " did not finish within " + timeoutSeconds + " s"
                        + " (lo.kind-timeout-seconds, LO_KIND_TIMEOUT_SECONDS); it was stopped with its child"
                        + " processes: raise the timeout if kind needs longer, or see why it hangs");
            }
            // what kind printed last, for the error; a descendant holding the pipe must not block us
            reader.join(Duration.ofSeconds(5));
            if (process.exitValue() != 0) {
                String last;
                synchronized (tail) {
                    last = tail.peekLast();
                }
                throw new KindException(what + " failed with exit code " + process.exitValue()
                        + (last == null ? "" : ": " + last));
            }
        } catch (IOException e) {
            killTree(process);
            throw new KindException("cannot run " + executable + ": " + e.getMessage());
        } catch (InterruptedException e) {
            killTree(process);
            Thread.currentThread().interrupt();
            throw new KindException("interrupted while running kind");
        }
    }

    private static void forward(Process process, Consumer<String> output, Deque<String> tail) {
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                output.accept(line);
                synchronized (tail) {
                    tail.addLast(line);
                    if (tail.size() > 20) {
                        tail.removeFirst();
                    }
                }
            }
        } catch (IOException ignored) {
            // the pipe closed under us: the process was stopped
        }
    }

    /** Stops kind and everything it started (docker CLI calls and their children), children first. */
    static void killTree(Process process) {
        List<ProcessHandle> descendants = process.descendants().toList();
        descendants.forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
