package dev.lok8s.lo.status;

import dev.lok8s.lo.engine.ContainerEngine;
import dev.lok8s.lo.engine.ContainerInfo;
import dev.lok8s.lo.engine.NetworkInfo;
import dev.lok8s.lo.plan.Labels;
import dev.lok8s.lo.plan.PlannedRegistry;
import dev.lok8s.lo.plan.Role;
import dev.lok8s.lo.plan.Scope;
import dev.lok8s.lo.projection.ReadModels;
import dev.lok8s.lo.projection.RegistryLog.RecordedNetwork;
import dev.lok8s.lo.projection.RegistryLog.RecordedProject;
import dev.lok8s.lo.projection.RegistryLog.RecordedRegistry;
import dev.lok8s.lo.projection.RegistryLog;
import dev.lok8s.lo.registry.RegistryProbe;
import dev.lok8s.lo.status.RegistryStatusReport.Drift;
import dev.lok8s.lo.status.RegistryStatusReport.NetworkStatus;
import dev.lok8s.lo.status.RegistryStatusReport.RegistryStatus;
import dev.lok8s.lo.store.EventStore;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * {@link RegistryStatusReport}s from the event log and the engine alone, without a spec: what the
 * log last recorded for each project (its network, its registries, the shared mirrors its nodes
 * use) beside what Docker has now, each running registry asked {@code GET /v2/} once. The REST API
 * answers with it wherever {@code lo serve} runs. "Planned" here means "as last recorded".
 */
public final class RecordedRegistryStatus {

    /** The log's rows, read once. */
    public record Recorded(List<RecordedProject> projects, List<RecordedRegistry> registries,
                           Map<String, RecordedNetwork> networks, Map<String, Set<String>> networksOfProject,
                           Map<String, Set<String>> usersOfNetwork) {
    }

    /** Docker's side, looked at once. */
    public record Live(Map<String, ContainerInfo> containers, Map<String, NetworkInfo> networks,
                       Map<String, RegistryProbe.Answer> answers) {
    }

    private final EventStore store;
    private final ContainerEngine engine;
    private final Supplier<String> caPem;

    /**
     * @param caPem the CA to verify TLS registries with (mkcert's), or null for the JDK's trust store;
     *              asked only when a TLS registry is running
     */
    public RecordedRegistryStatus(EventStore store, ContainerEngine engine, Supplier<String> caPem) {
        this.store = store;
        this.engine = engine;
        this.caPem = caPem;
    }

    /** A report per recorded project, by domain then project. */
    public List<RegistryStatusReport> all() {
        return reports(null);
    }

    /** The report of the project the log records for {@code domain}; empty when it records none. */
    public Optional<RegistryStatusReport> forDomain(String domain) {
        return reports(domain).stream().findFirst();
    }

    private List<RegistryStatusReport> reports(String domain) {
        Recorded recorded = read(domain);
        if (recorded.projects().isEmpty()) {
            return List.of();
        }
        return assemble(recorded, observe(recorded));
    }

    private Recorded read(String domain) {
        RegistryLog log = ReadModels.of(store).registries();
        List<RecordedProject> projects = log.recordedProjects().stream()
                .filter(p -> domain == null || domain.equals(p.domain())).toList();
        Map<String, Set<String>> networksOf = new LinkedHashMap<>();
        Map<String, Set<String>> users = new LinkedHashMap<>();
        Map<String, RecordedNetwork> networks = log.recordedNetworks();
        for (RecordedProject p : projects) {
            networksOf.put(p.name(), log.networksOf(p.name()));
        }
        for (RecordedNetwork n : networks.values()) {
            if (n.scope() == Scope.SHARED) {
                users.put(n.name(), log.usersOf(n.name()));
            }
        }
        return new Recorded(projects, log.recordedRegistries(), networks, networksOf, users);
    }

    private Live observe(Recorded recorded) {
        Map<String, ContainerInfo> containers = new LinkedHashMap<>();
        for (RecordedRegistry r : recorded.registries()) {
            engine.findContainer(r.container()).ifPresent(c -> containers.put(c.name(), c));
        }
        Map<String, NetworkInfo> networks = new LinkedHashMap<>();
        for (String name : recorded.networks().keySet()) {
            engine.findNetwork(name).ifPresent(n -> networks.put(n.name(), n));
        }
        List<PlannedRegistry> running = recorded.registries().stream()
                .filter(r -> containers.containsKey(r.container()) && containers.get(r.container()).running())
                .map(r -> probeTarget(r, containers.get(r.container())))
                .toList();
        Map<String, RegistryProbe.Answer> answers = new LinkedHashMap<>();
        boolean anyTls = running.stream().anyMatch(r -> r.url().startsWith("https://"));
        new RegistryProbe(Duration.ZERO, Duration.ZERO).probeAll(running, anyTls ? caPem.get() : null)
                .forEach((registry, answer) -> answers.put(registry.container(), answer));
        return new Live(containers, networks, answers);
    }

    /** The reports from what was read and observed. Pure. */
    public static List<RegistryStatusReport> assemble(Recorded recorded, Live live) {
        List<RegistryStatusReport> reports = new ArrayList<>();
        List<RecordedProject> projects = new ArrayList<>(recorded.projects());
        projects.sort(Comparator.comparing((RecordedProject p) -> String.valueOf(p.domain()))
                .thenComparing(RecordedProject::name));
        for (RecordedProject project : projects) {
            reports.add(report(project, recorded, live));
        }
        return reports;
    }

    /**
     * A recorded project's registries: its own (build, cache, then its own mirrors), and the mirrors of the
     * shared network it uses with that network's users.
     *
     * @param sharedNetwork null when the project uses none
     */
    public record ProjectRegistries(RecordedProject project, String sharedNetwork, List<RecordedRegistry> own,
                                    List<RecordedRegistry> shared, List<String> sharedUsers) {
    }

    /** What the log records of every project ({@code domain} null) or of the domain's, read once. */
    public Recorded recorded(String domain) {
        return read(domain);
    }

    /** The registries the log records for one project. Pure. */
    public static ProjectRegistries registriesOf(RecordedProject project, Recorded recorded) {
        List<RecordedRegistry> own = recorded.registries().stream()
                .filter(r -> r.scope() == Scope.PROJECT && project.name().equals(r.project()))
                .sorted(Comparator.comparingInt(RecordedRegistryStatus::roleOrder).thenComparing(RecordedRegistry::container))
                .toList();
        String sharedNetwork = sharedNetworkOf(project, recorded);
        List<RecordedRegistry> shared = sharedNetwork == null ? List.of() : recorded.registries().stream()
                .filter(r -> r.scope() == Scope.SHARED && sharedNetwork.equals(r.network()))
                .toList();
        List<String> users = sharedNetwork == null ? List.of()
                : List.copyOf(recorded.usersOfNetwork().getOrDefault(sharedNetwork, Set.of()));
        return new ProjectRegistries(project, sharedNetwork, own, shared, users);
    }

    private static RegistryStatusReport report(RecordedProject project, Recorded recorded, Live live) {
        ProjectRegistries registries = registriesOf(project, recorded);
        List<RecordedRegistry> own = registries.own();
        String sharedNetwork = registries.sharedNetwork();
        List<RecordedRegistry> shared = registries.shared();
        boolean tls = Stream.concat(own.stream(), shared.stream())
                .map(r -> live.containers().get(r.container()))
                .anyMatch(c -> c != null && c.labels().containsKey(Labels.CERT_SHA256));
        String domain = project.domain();
        List<Drift> drift = new ArrayList<>();
        List<RegistryStatus> sharedStatus = new ArrayList<>();
        for (RecordedRegistry r : shared) {
            sharedStatus.add(status(r, tls, live, registries.sharedUsers()));
            drift.addAll(drift(r, domain, live));
        }
        List<RegistryStatus> ownStatus = new ArrayList<>();
        for (RecordedRegistry r : own) {
            ownStatus.add(status(r, tls, live, List.of()));
            drift.addAll(drift(r, domain, live));
        }
        return new RegistryStatusReport(project.name(), domain, project.slot() == null ? 0 : project.slot(), tls,
                sharedNetwork == null ? null : network(sharedNetwork, recorded, live),
                project.network() == null ? null : network(project.network(), recorded, live), sharedStatus, ownStatus,
                drift);
    }

    /**
     * The shared network a project uses: the one its nodes are recorded on; without nodes (registries
     * only), the one shared network recorded, if there is exactly one.
     */
    private static String sharedNetworkOf(RecordedProject project, Recorded recorded) {
        List<String> sharedNetworks = recorded.networks().values().stream().filter(n -> n.scope() == Scope.SHARED)
                .map(RecordedNetwork::name).toList();
        for (String n : recorded.networksOfProject().getOrDefault(project.name(), Set.of())) {
            if (sharedNetworks.contains(n)) {
                return n;
            }
        }
        boolean hasOwnMirrors = recorded.registries().stream().anyMatch(r -> r.scope() == Scope.PROJECT
                && project.name().equals(r.project()) && r.role() == Role.MIRROR);
        return sharedNetworks.size() == 1 && !hasOwnMirrors ? sharedNetworks.getFirst() : null;
    }

    private static NetworkStatus network(String name, Recorded recorded, Live live) {
        RecordedNetwork n = recorded.networks().get(name);
        NetworkInfo info = live.networks().get(name);
        return new NetworkStatus(name, n == null ? null : n.cidr(), info == null ? null : info.subnet(), info != null);
    }

    private static RegistryStatus status(RecordedRegistry r, boolean tls, Live live, List<String> usedBy) {
        ContainerInfo container = live.containers().get(r.container());
        RegistryProbe.Answer answer = live.answers().get(r.container());
        String state = container == null ? "missing" : container.state();
        Boolean reachable = answer == null ? null : answer.ok();
        boolean mirror = r.role() == Role.MIRROR;
        return new RegistryStatus(name(r), r.role(), r.container(), r.network(), r.ip(),
                container == null ? null : container.networks().get(r.network()), state,
                RegistryStatusService.display(state, mirror, reachable, RegistryStatusService.mode(mirror, container)),
                reachable, answer == null || answer.ok() ? null : answer.error(), catalogUrl(r.ip(), tls), r.upstream(),
                usedBy, r.state(), r.hostPort() == null ? null : PlannedRegistry.pushAddress(r.hostPort()),
                RegistryStatusService.mode(mirror, container), null, null, null);
    }

    private static List<Drift> drift(RecordedRegistry r, String domain, Live live) {
        var expected = new RegistryDrift.Expected(RegistryDrift.Source.LOG, r.container(), r.network(), r.ip(),
                r.configHash(), r.state(), r.role() == Role.MIRROR, r.upstream(), "the log records " + r.ip(),
                "lo registry up " + domain, "", r.hostPort());
        return RegistryDrift.of(expected, live.containers().get(r.container()), live.networks().get(r.network()),
                domain);
    }

    /** What the probe needs of a registry: its container, role and catalog URL. */
    private static PlannedRegistry probeTarget(RecordedRegistry r, ContainerInfo container) {
        String ip = container.networks().getOrDefault(r.network(), r.ip());
        return new PlannedRegistry(name(r), role(r.role()), r.container(), r.network(), ip, null,
                catalogUrl(ip, container.labels().containsKey(Labels.CERT_SHA256)), r.upstream(), null, null, r.configHash(),
                Map.of());
    }

    /** {@code build}, {@code cache}, or a mirror's name as lo names its container ({@code ...-registry-<name>}). */
    public static String name(RecordedRegistry r) {
        if (r.role() != Role.MIRROR) {
            return r.role() == null ? "unknown" : r.role().label();
        }
        int at = r.container().lastIndexOf("-registry-");
        return at < 0 ? r.container() : r.container().substring(at + "-registry-".length());
    }

    /** A registry whose role the log does not know is probed as a mirror would be. */
    private static Role role(Role role) {
        return role == null ? Role.MIRROR : role;
    }

    private static int roleOrder(RecordedRegistry r) {
        return r.role() == null ? 2 : switch (r.role()) {
            case BUILD -> 0;
            case CACHE -> 1;
            case MIRROR -> 2;
        };
    }

    private static String catalogUrl(String ip, boolean tls) {
        return ip == null ? null : (tls ? "https://" : "http://") + ip + "/v2/_catalog";
    }
}
