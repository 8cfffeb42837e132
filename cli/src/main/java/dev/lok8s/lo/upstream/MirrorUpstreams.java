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
import java.util.Collection;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * For each mirror of a plan, concurrently: its login from the Docker client configuration (a
 * credential helper asked once per key), whether its upstream answers, giving the mode it
 * allows ({@link MirrorUpstream#decide}), and on request the pull budget the upstream reports for
 * the mirror's login ({@link PullBudgetCheck}). Read-only: asks the upstreams' {@code /v2/}, their
 * token services and one manifest HEAD, nothing else.
 *
 * <p>One rule for every caller: an upstream whose address lies in a network of the plan that the
 * machine does not have yet is not asked (nothing can answer there, and a request to it would leave
 * the machine by its default route instead); it counts as not answering.
 */
public final class MirrorUpstreams {

    /** How long the pull budgets of one report may take, all mirrors side by side. */
    public static final Duration BUDGET_DEADLINE = Duration.ofSeconds(8);

    /** Each mirror's upstream and, when asked for, its pull budget; both by container name. */
    public record Resolved(Map<String, MirrorUpstream> upstreams, Map<String, PullBudget> budgets) {
        public Resolved {
            upstreams = Map.copyOf(upstreams);
            budgets = Map.copyOf(budgets);
        }
    }

    /** A mirror as far as its upstream goes. */
    private record Mirror(String container, String upstream) {
    }

    private final Map<String, String> env;
    private final Supplier<LoginKey> key;
    private final UpstreamCheck check;
    private final PullBudgetCheck budgetCheck;
    private final Supplier<? extends Collection<String>> presentNetworks;

    /**
     * @param env             where {@code DOCKER_CONFIG} and {@code HOME} are read
     * @param stateDir        where this machine's {@link LoginKey} is kept
     * @param presentNetworks the names of the networks the machine has (asked only when an upstream's address
     *                        lies in a planned network); a failure counts as none
     */
    public MirrorUpstreams(Map<String, String> env, Path stateDir, Duration connectTimeout, Duration requestTimeout,
                           Supplier<? extends Collection<String>> presentNetworks) {
        this.env = Map.copyOf(env);
        this.key = memoized(() -> LoginKey.load(stateDir));
        UpstreamHttp http = new UpstreamHttp(connectTimeout); // one client for both checks, made on first use
        this.check = new UpstreamCheck(http, requestTimeout);
        this.budgetCheck = new PullBudgetCheck(http, requestTimeout);
        this.presentNetworks = presentNetworks;
    }

    /** Each mirror's upstream, by container name; empty for a plan without mirrors. */
    public Map<String, MirrorUpstream> resolve(RegistryPlan plan) {
        return look(plan, true, false).upstreams();
    }

    /** Each mirror's upstream and pull budget, the budget asked while the upstream is checked. */
    public Resolved resolveWithBudgets(RegistryPlan plan) {
        return look(plan, true, true);
    }

    /** Each mirror's pull budget, by container name. */
    public Map<String, PullBudget> budgets(RegistryPlan plan) {
        return look(plan, false, true).budgets();
    }

    /** The pull budgets of mirrors known without a plan (as the log records them): upstream URL by container. */
    public Map<String, PullBudget> budgets(Map<String, String> upstreamByContainer) {
        List<Mirror> mirrors = upstreamByContainer.entrySet().stream()
                .filter(e -> e.getValue() != null).map(e -> new Mirror(e.getKey(), e.getValue())).toList();
        return look(mirrors, List.of(), false, true).budgets();
    }

    private Resolved look(RegistryPlan plan, boolean checkUpstreams, boolean withBudgets) {
        List<Mirror> mirrors = plan.registries().stream().filter(PlannedRegistry::isMirror)
                .map(r -> new Mirror(r.container(), r.upstream())).toList();
        if (mirrors.isEmpty()) {
            return new Resolved(Map.of(), Map.of());
        }
        return look(mirrors, absentSubnets(plan, mirrors), checkUpstreams, withBudgets);
    }

    /**
     * The planned subnets holding an upstream's address that the machine does not have; the machine's
     * networks are asked only when some upstream's address lies in a planned subnet at all.
     */
    private List<Cidr> absentSubnets(RegistryPlan plan, List<Mirror> mirrors) {
        List<Cidr> planned = plan.networks().stream().map(n -> Cidr.parse(n.cidr())).toList();
        if (mirrors.stream().noneMatch(m -> absentSubnetOf(m.upstream(), planned) != null)) {
            return List.of();
        }
        Collection<String> present;
        try {
            present = presentNetworks.get();
        } catch (RuntimeException e) {
            present = List.of(); // nothing is known to exist: nothing in a planned network can answer
        }
        return absentSubnets(plan, present);
    }

    /** The subnets of the plan's networks that are not among {@code presentNetworks} (by name). Pure. */
    static List<Cidr> absentSubnets(RegistryPlan plan, Collection<String> presentNetworks) {
        return plan.networks().stream().filter(n -> !presentNetworks.contains(n.name()))
                .map(n -> Cidr.parse(n.cidr())).toList();
    }

    private record Looked(MirrorUpstream upstream, PullBudget budget) {
    }

    private Resolved look(List<Mirror> mirrors, List<Cidr> absentSubnets, boolean checkUpstreams, boolean withBudgets) {
        Path file = DockerLogins.configFile(env);
        String config = readConfig(file);
        Map<String, DockerLogins.Found> helperAnswers = new ConcurrentHashMap<>();
        Map<Mirror, Future<Looked>> futures = new LinkedHashMap<>();
        long end = System.nanoTime() + BUDGET_DEADLINE.toNanos();
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        try {
            for (Mirror mirror : mirrors) {
                futures.put(mirror, executor.submit(() -> look(mirror, config, file, helperAnswers, absentSubnets,
                        checkUpstreams, withBudgets, executor, end)));
            }
            Map<String, MirrorUpstream> upstreams = new LinkedHashMap<>();
            Map<String, PullBudget> budgets = new LinkedHashMap<>();
            for (var entry : futures.entrySet()) {
                try {
                    Looked looked = entry.getValue().get();
                    if (looked.upstream() != null) {
                        upstreams.put(entry.getKey().container(), looked.upstream());
                    }
                    if (looked.budget() != null) {
                        budgets.put(entry.getKey().container(), looked.budget());
                    }
                } catch (ExecutionException e) {
                    throw new IllegalStateException("cannot look up the upstream of " + entry.getKey().container() + ": "
                            + e.getCause().getMessage(), e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while looking up mirror upstreams", e);
                }
            }
            return new Resolved(upstreams, budgets);
        } finally {
            // a budget past the deadline is left behind, its request interrupted; nothing waits for it
            executor.shutdownNow();
        }
    }

    private Looked look(Mirror mirror, String config, Path file, Map<String, DockerLogins.Found> helperAnswers,
                        List<Cidr> absentSubnets, boolean checkUpstreams, boolean withBudgets,
                        ExecutorService executor, long end) {
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
        String notCreated = absent == null ? null : "its address is in " + absent + ", a network not created yet";
        Future<PullBudget> budget = null;
        if (withBudgets) {
            budget = notCreated != null
                    ? CompletableFuture.completedFuture(PullBudget.unknown("the upstream was not asked: " + notCreated, null))
                    : found instanceof DockerLogins.Unreadable bad
                    ? CompletableFuture.completedFuture(PullBudget.unknown("the mirror's login cannot be read: "
                    + bad.why(), null))
                    : executor.submit(() -> budgetCheck.ask(mirror.upstream(), login));
        }
        MirrorUpstream upstream = null;
        if (checkUpstreams) {
            UpstreamCheck.Answer answer = notCreated != null ? UpstreamCheck.Answer.unreachable(notCreated)
                    : check.ask(mirror.upstream(), login);
            upstream = MirrorUpstream.decide(mirror.container(), mirror.upstream(), found, answer,
                    login == null ? null : key.get().fingerprint(login));
        }
        return new Looked(upstream, budget == null ? null : within(budget, end, login).from(hostOf(mirror.upstream())));
    }

    /** {@code host[:port]} of an upstream URL; the URL itself when it has no host. */
    static String hostOf(String upstream) {
        try {
            URI uri = URI.create(upstream);
            return uri.getHost() == null ? upstream : uri.getPort() == -1 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
        } catch (IllegalArgumentException e) {
            return upstream;
        }
    }

    /** The budget, or unknown when it is not there by {@code end}. */
    private static PullBudget within(Future<PullBudget> budget, long end, UpstreamLogin login) {
        try {
            return budget.get(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            budget.cancel(true);
            return PullBudget.unknown("the upstream did not answer within " + BUDGET_DEADLINE.toSeconds() + " s",
                    login == null ? null : login.username());
        } catch (ExecutionException e) {
            return PullBudget.unknown("the check failed: " + e.getCause(), login == null ? null : login.username());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            budget.cancel(true);
            return PullBudget.unknown("the check was stopped", login == null ? null : login.username());
        }
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
