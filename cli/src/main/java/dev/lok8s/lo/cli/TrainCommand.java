package dev.lok8s.lo.cli;

import dev.lok8s.lo.cache.TrainingRegistry;
import dev.lok8s.lo.docker.DockerEngine;
import dev.lok8s.lo.plan.PlanSettings;
import dev.lok8s.lo.plan.Planner;
import dev.lok8s.lo.plan.RegistryPlan;
import dev.lok8s.lo.projection.ReadModels;
import dev.lok8s.lo.spec.ClusterSpec;
import dev.lok8s.lo.spec.SpecParser;
import dev.lok8s.lo.store.EventStore;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.Callable;

/**
 * Hidden: the training run behind the JDK AOT cache that deploy/install.sh writes. It does in
 * one process what the common commands do (help of every command, parse and plan a spec,
 * render text and JSON, read the store, build a Docker client, warm an image from a loopback
 * registry), so the cache holds the classes
 * they load. Prints nothing.
 */
@Command(name = "train", hidden = true, description = "Exercise the common code paths (for the AOT cache).")
public class TrainCommand implements Callable<Integer> {

    static final String SAMPLE = """
            apiVersion: cluster.lok8s.dev/v1beta1
            kind: Lo
            metadata:
              name: lok8s
            spec:
              registries:
                tls: true
            """;

    @Spec
    CommandSpec spec;

    @Inject
    Instance<EventStore> store;

    @Override
    public Integer call() throws IOException {
        StringWriter sink = new StringWriter();
        PrintWriter out = new PrintWriter(sink);
        CommandLine root = spec.root().commandLine();
        root.usage(out);
        for (CommandLine sub : root.getSubcommands().values()) {
            sub.usage(out);
        }
        Path dir = Files.createTempDirectory("lo-train");
        try {
            Path file = dir.resolve("clusters/lok8s.dev/cluster.lok8s.yaml");
            Files.createDirectories(file.getParent());
            Files.writeString(file, SAMPLE);
            ClusterSpec parsed = new SpecParser().parse(file, "lok8s.dev");
            RegistryPlan plan = Planner.plan(parsed, PlanSettings.of(file.getParent()));
            PlanText.print(plan, out);
            out.println(OutputOptions.jsonMapper().writeValueAsString(plan));
            var events = store.get();
            out.println(events.headPosition());
            out.println(ReadModels.of(events).runs().list(null, 5));
            // The Docker client's classes (docker-java, its Jackson model, httpclient5) for the
            // commands that talk to the engine: a request to a socket that does not exist fails at
            // once, without sending anything anywhere.
            // The reads (the observation) use docker-java's transport alone, the changes its command layer: both.
            try (var docker = DockerEngine.at("unix://" + dir.resolve("no-docker.sock"))) {
                try {
                    docker.findNetwork("lo-train");
                } catch (RuntimeException expected) {
                    out.println(expected.getClass().getSimpleName());
                }
                docker.ping();
            } catch (RuntimeException expected) {
                out.println(expected.getClass().getSimpleName());
            }
            // lo registry warm: the HTTP client, a manifest and a blob read, hashed and checked (loopback only)
            out.println(TrainingRegistry.warmOnce().bytes());
            try {
                new SpecParser().parse(dir.resolve("missing.yaml"), "lok8s.dev");
            } catch (RuntimeException expected) {
                out.println(expected.getMessage());
            }
        } finally {
            try (var walk = Files.walk(dir)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        out.flush();
        return sink.getBuffer().isEmpty() ? ExitCodes.FAILED : ExitCodes.OK;
    }
}
