package dev.lok8s.lo.upstream;

import dev.lok8s.lo.plan.PlannedRegistry;
import dev.lok8s.lo.plan.RegistryPlan;
import dev.lok8s.lo.spec.Cidr;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * For each mirror of a plan, concurrently: its login from the Docker client configuration (a
 * credential helper asked once per key), and whether its upstream answers, giving the mode it
 * allows ({@link MirrorUpstream#decide}). Read-only: asks the upstreams' {@code /v2/} and nothing else.
 */
public final class MirrorUpstreams {

    private final Map<String, String> env;
    private final Supplier<LoginKey> key;
    private final UpstreamCheck check;

    /**
     * @param env      where {@code DOCKER_CONFIG} and {@code HOME} are read
     * @param stateDir where this machine's {@link LoginKey} is kept
     */
    public MirrorUpstreams(Map<String, String> env, Path stateDir, Duration connectTimeout, Duration requestTimeout) {
        this.env = Map.copyOf(env);
        this.key = memoized(() -> LoginKey.load(stateDir));
        this.check = new UpstreamCheck(connectTimeout, requestTimeout);
    }

    /** Each mirror's upstream, by container name; empty for a plan without mirrors. */
    public Map<String, MirrorUpstream> resolve(RegistryPlan plan) {
        return resolve(plan, List.of());
    }

    /**
     * As {@link #resolve(RegistryPlan)}, but an upstream whose address lies in one of {@code absentSubnets}
     * (a network of the plan that the machine does not have yet) is not asked: nothing can answer there,
     * and a request to it would leave the machine by its default route instead.
     */
    public Map<String, MirrorUpstream> resolve(RegistryPlan plan, List<Cidr> absentSubnets) {
        List<PlannedRegistry> mirrors = plan.registries().stream().filter(PlannedRegistry::isMirror).toList();
        if (mirrors.isEmpty()) {
            return Map.of();
        }
        Path file = DockerLogins.configFile(env);
        String config = readConfig(file);
        Map<String, DockerLogins.Found> helperAnswers = new ConcurrentHashMap<>();
        Map<PlannedRegistry, Future<MirrorUpstream>> futures = new LinkedHashMap<>();
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (PlannedRegistry mirror : mirrors) {
                futures.put(mirror, executor.submit(() -> resolve(mirror, config, file, helperAnswers, absentSubnets)));
            }
            Map<String, MirrorUpstream> out = new LinkedHashMap<>();
            for (var entry : futures.entrySet()) {
                try {
                    out.put(entry.getKey().container(), entry.getValue().get());
                } catch (ExecutionException e) {
                    throw new IllegalStateException("cannot look up the upstream of " + entry.getKey().container() + ": "
                            + e.getCause().getMessage(), e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while looking up mirror upstreams", e);
                }
            }
            return out;
        }
    }

    private MirrorUpstream resolve(PlannedRegistry mirror, String config, Path file,
                                   Map<String, DockerLogins.Found> helperAnswers, List<Cidr> absentSubnets) {
        String server = DockerLogins.serverKey(mirror.upstream());
        DockerLogins.Found found = config == null && !Files.exists(file)
                ? new DockerLogins.Nothing(server)
                : config == null ? new DockerLogins.Unreadable(server, file + " cannot be read (or is larger than "
                + DockerLogins.MAX_CONFIG_BYTES + " bytes)")
                : DockerLogins.lookup(config, file.toString(), server);
        if (found instanceof DockerLogins.Helper helper) {
            found = helperAnswers.computeIfAbsent(helper.helper() + "\n" + server,
                    k -> CredentialHelper.get(helper.helper(), server));
        }
        UpstreamLogin login = found instanceof DockerLogins.Stored stored ? stored.login() : null;
        Cidr absent = absentSubnetOf(mirror.upstream(), absentSubnets);
        UpstreamCheck.Answer answer = absent != null
                ? UpstreamCheck.Answer.unreachable("its address is in " + absent + ", a network not created yet")
                : check.ask(mirror.upstream(), login);
        return MirrorUpstream.decide(mirror.container(), mirror.upstream(), found, answer,
                login == null ? null : key.get().fingerprint(login));
    }

    /** The subnet of {@code absentSubnets} that holds the upstream's host when it is an IPv4 address; null otherwise. */
    static Cidr absentSubnetOf(String upstream, List<Cidr> absentSubnets) {
        String host;
        try {
            host = URI.create(upstream).getHost();
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (host == null) {
            return null;
        }
        for (Cidr subnet : absentSubnets) {
            try {
                if (subnet.contains(host)) {
                    return subnet;
                }
            } catch (IllegalArgumentException notAnAddress) {
                return null;
            }
        }
        return null;
    }

    /** The configuration's text; null when there is none or it cannot be read within bounds. */
    private static String readConfig(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes(DockerLogins.MAX_CONFIG_BYTES + 1);
            return bytes.length > DockerLogins.MAX_CONFIG_BYTES ? null : new String(bytes, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            return null;
        }
    }

    private static <T> Supplier<T> memoized(Supplier<T> supplier) {
        return new Supplier<>() {
            private T value;

            @Override
            public synchronized T get() {
                if (value == null) {
                    value = supplier.get();
                }
                return value;
            }
        };
    }
}
