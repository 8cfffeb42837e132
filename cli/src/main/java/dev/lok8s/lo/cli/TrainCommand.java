package dev.lok8s.lo.cli;

import dev.lok8s.lo.cache.TrainingRegistry;
import dev.lok8s.lo.config.LoConfig;
import dev.lok8s.lo.config.ProjectLoader;
import dev.lok8s.lo.docker.DockerEngine;
import dev.lok8s.lo.engine.NetworkInfo;
import dev.lok8s.lo.kind.KindExecutable;
import dev.lok8s.lo.registry.RegistryProbe;
import dev.lok8s.lo.run.ProjectLeases;
import dev.lok8s.lo.run.ProvisionService;
import dev.lok8s.lo.run.RunOutcome;
import dev.lok8s.lo.run.TeardownService;
import dev.lok8s.lo.status.RegistryStatusReport;
import dev.lok8s.lo.status.RegistryStatusService;
import dev.lok8s.lo.upstream.MirrorUpstreams;
import dev.lok8s.lo.wiring.MachineBeans;
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
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Hidden: the training runs behind the JDK AOT caches that deploy/aot-train.sh writes, one per workload, so
 * each cache holds what its commands load and little else (a JVM loads every class of its cache at start):
 * <ul>
 * <li>{@code all} (lo.aot, every command without a cache of its own): help of every command, parse and plan
 * a spec, render text and JSON, read the store, build a Docker client, warm an image from a loopback
 * registry;</li>
 * <li>{@code run} (lo-run.aot: provision, registry up and down, resume, destroy): a project's registries up
 * cold, then again with everything in place, then down;</li>
 * <li>{@code status} (lo-status.aot: registry status, doctor): a project's status and doctor.</li>
 * </ul>
 * The projects run against {@link TrainingEngine} in memory, on 127.0.0.0/8 addresses, and every probe and
 * upstream check goes to a {@link TrainingRegistry} on 127.0.0.1: nothing is sent beyond the loopback and
 * nothing on the machine changes. Docker logins are read from an empty directory of the run's own. Prints
 * nothing.
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

    /** The training project: a project network, a shared one and a mirror, all on loopback. */
    static final String PROJECT = """
            apiVersion: cluster.lok8s.dev/v1beta1
            kind: Lo
            metadata:
              name: lo-train
            spec:
              network:
                cidr: 127.0.77.0/24
              registries:
                shared:
                  network:
                    name: lo-train-shared
                    cidr: 127.0.78.0/24
                mirrors:
                  - {name: one, url: "%s"}
            """;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", defaultValue = "all", description = "all, run or status.")
    String workload;

    @Inject
    Instance<EventStore> store;

    @Inject
    LoConfig config;

    @Override
    public Integer call() throws IOException {
        StringWriter sink = new StringWriter();
        PrintWriter out = new PrintWriter(sink);
        Path dir = Files.createTempDirectory("lo-train");
        try {
            switch (workload) {
                case "all" -> everyCommand(dir, out);
                case "run" -> project(dir, out, true);
                case "status" -> project(dir, out, false);
                default -> throw new IllegalArgumentException("unknown training workload: " + workload);
            }
        } finally {
            try (var walk = Files.walk(dir)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        out.flush();
        return sink.getBuffer().isEmpty() ? ExitCodes.FAILED : ExitCodes.OK;
    }

    private void everyCommand(Path dir, PrintWriter out) throws IOException {
        CommandLine root = spec.root().commandLine();
        root.usage(out);
        for (CommandLine sub : root.getSubcommands().values()) {
            sub.usage(out);
        }
        Path file = dir.resolve("clusters/lok8s.dev/cluster.lok8s.yaml");
        Files.createDirectories(file.getParent());
        Files.writeString(file, SAMPLE);
        ClusterSpec parsed = new SpecParser().parse(file, "lok8s.dev");
        RegistryPlan plan = Planner.plan(parsed, PlanSettings.of(file.getParent()));
        PlanText.print(plan, out);
        out.println(OutputOptions.jsonMapper().writeValueAsString(plan));
        EventStore events = store.get();
        out.println(events.headPosition());
        out.println(ReadModels.of(events).runs().list(null, 5));
        dockerClient(dir, out, true);
        // lo registry warm: the HTTP client, a manifest and a blob read, hashed and checked (loopback only)
        out.println(TrainingRegistry.warmOnce().bytes());
        try {
            new SpecParser().parse(dir.resolve("missing.yaml"), "lok8s.dev");
        } catch (RuntimeException expected) {
            out.println(expected.getMessage());
        }
    }

    /**
     * The Docker client's classes (docker-java, its Jackson model, httpclient5) for the commands that talk to the
     * engine: a request to a socket that does not exist fails at once, without sending anything anywhere. The
     * reads (the observation) go over the socket alone, the changes through docker-java's command layer.
     */
    private static void dockerClient(Path dir, PrintWriter out, boolean changes) {
        try (var docker = DockerEngine.at("unix://" + dir.resolve("no-docker.sock"))) {
            try {
                docker.findNetwork("lo-train");
            } catch (RuntimeException expected) {
                out.println(expected.getClass().getSimpleName());
            }
            if (changes) {
                docker.ping();
            }
        } catch (RuntimeException expected) {
            out.println(expected.getClass().getSimpleName());
        }
    }

    /** The training project's registries up twice and down ({@code run}), or its status and doctor. */
    private void project(Path dir, PrintWriter out, boolean run) throws IOException {
        try (TrainingRegistry upstream = TrainingRegistry.start()) {
            URI base = upstream.base();
            Path projectDir = dir.resolve("project");
            Path file = projectDir.resolve("clusters/lok8s.train/cluster.lok8s.yaml");
            Files.createDirectories(file.getParent());
            Files.writeString(file, PROJECT.formatted(base));
            // the command's own model and parse, as the command line gives it
            String[] args = {"registry", run ? "up" : "status", "lok8s.train"};
            CommandModel.forArguments(args, spec.root().commandLine().getFactory()).parseArgs(args);
            ProjectLoader.Loaded loaded = ProjectLoader.load(projectDir, "lok8s.train", null, config);
            RegistryPlan plan = loaded.plan();
            Path home = Files.createDirectories(dir.resolve("home"));
            Map<String, String> env = Map.of("HOME", home.toString(), "DOCKER_CONFIG", home.resolve(".docker").toString());
            TrainingEngine engine = new TrainingEngine();
            RegistryProbe probe = new RegistryProbe(Duration.ZERO, Duration.ZERO, root -> base.resolve(root.getRawPath()));
            MirrorUpstreams upstreams = new MirrorUpstreams(env, home, Duration.ofSeconds(2), Duration.ofSeconds(2),
                    () -> engine.listNetworks().stream().map(NetworkInfo::name).toList());
            EventStore events = store.get();
            dockerClient(dir, out, run); // the real engine's reads, and for a run its changes
            if (run) {
                ProjectLeases leases = MachineBeans.leases(events);
                KindExecutable kind = new KindExecutable(null, env, 10);
                ProvisionService provisions = new ProvisionService(events, engine, kind, probe, leases, env, upstreams);
                var options = new ProvisionService.Options(false, false, "lo registry up lok8s.train", 4,
                        Clock.systemUTC());
                out.println(provisions.registriesUp(loaded.spec(), plan, options, new StepProgress(out, false))
                        .errorLines());
                RunOutcome again = provisions.registriesUp(loaded.spec(), plan, options, new StepProgress(out, false));
                out.println(OutputOptions.jsonMapper().writeValueAsString(again));
                RunOutcome down = new TeardownService(events, engine, kind, leases)
                        .down(plan, new TeardownService.Options(false, "lo registry down lok8s.train", 4),
                                new StepProgress(out, false));
                out.println(down.errorLines());
            } else {
                engine.running(plan);
                RegistryStatusService status = new RegistryStatusService(events, engine, probe, null, upstreams);
                RegistryStatusReport report = status.report(plan);
                out.print(RegistryStatusText.render(report));
                out.println(OutputOptions.jsonMapper().writeValueAsString(report));
                out.print(RegistryStatusText.render(status.doctor(plan)));
            }
        }
    }
}
