package dev.lok8s.lo.status;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.lok8s.lo.failure.Reason;
import dev.lok8s.lo.plan.MirrorMode;
import dev.lok8s.lo.plan.Role;
import dev.lok8s.lo.upstream.PullBudget;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * {@code lo registry status} as data: the shared mirrors and the per-project registries, each
 * with its planned and actual address, state, reachability and catalog URL, plus where the log
 * and Docker disagree. Plain records, JSON as they are: the CLI renders them as text and the
 * REST API serves them unchanged.
 *
 * @param sharedNetwork null when the spec has no shared network ({@code shared.enabled: false})
 * @param shared        the shared mirrors; empty without a shared network
 * @param project       build, cache and, without a shared network, the mirrors
 * @param drift         disagreements between the log, the plan and Docker
 */
@JsonPropertyOrder({"project", "domain", "slot", "tls", "sharedNetwork", "projectNetwork", "shared", "projectRegistries",
        "drift"})
public record RegistryStatusReport(String project, String domain, int slot, boolean tls, NetworkStatus sharedNetwork,
                                   NetworkStatus projectNetwork, List<RegistryStatus> shared,
                                   List<RegistryStatus> projectRegistries, List<Drift> drift) {

    public RegistryStatusReport {
        shared = List.copyOf(shared);
        projectRegistries = List.copyOf(projectRegistries);
        drift = List.copyOf(drift);
    }

    /** Every registry, shared mirrors first. */
    public List<RegistryStatus> all() {
        return Stream.concat(shared.stream(), projectRegistries.stream()).toList();
    }

    /** The same report with each mirror's pull budget from {@code budgets} (by container); others unchanged. */
    public RegistryStatusReport withPullBudgets(Map<String, PullBudget> budgets) {
        if (budgets.isEmpty()) {
            return this;
        }
        Function<List<RegistryStatus>, List<RegistryStatus>> with = list -> list.stream()
                .map(r -> budgets.containsKey(r.container()) ? r.withPullBudget(budgets.get(r.container())) : r)
                .toList();
        return new RegistryStatusReport(project, domain, slot, tls, sharedNetwork, projectNetwork, with.apply(shared),
                with.apply(projectRegistries), drift);
    }

    /**
     * A network: its planned subnet and, when it exists, Docker's.
     *
     * @param actualCidr null when Docker has no network of that name
     */
    @JsonPropertyOrder({"name", "cidr", "actualCidr", "exists"})
    public record NetworkStatus(String name, String cidr, String actualCidr, boolean exists) {
    }

    /**
     * One registry container.
     *
     * @param ip          planned address
     * @param actualIp    its address on the planned network per Docker; null when missing or not attached
     * @param state       Docker's state word ({@code running}, {@code exited}, {@code restarting}, ...) or
     *                    {@code missing}
     * @param display     the state as {@code lo registry status} prints it ({@code Running}, {@code Stopped},
     *                    {@code Restarting (upstream unreachable?)}, {@code Missing})
     * @param reachable   whether GET /v2/ answered; null when not probed (not running)
     * @param probeError  why it did not answer
     * @param catalogUrl  {@code http(s)://<ip>/v2/_catalog}
     * @param upstream    the mirror's remote; null for build and cache
     * @param usedBy      for mirrors, the projects the log records as using their network
     * @param loggedState what the log says: {@code running}, {@code stopped}, or null when it has no record
     * @param pushAddress where the host pushes to, {@code localhost:<port>} (build and cache published on the
     *                    host); null for mirrors and registries that are not published
     * @param mode        for a mirror container: {@code proxy}, or {@code offline} (its upstream did not answer
     *                    when it was started: it serves its cache read-only); null otherwise
     * @param upstreamLogin for a mirror whose upstream lo looked up: {@code anonymous}, {@code used},
     *                    {@code missing}, {@code refused}, {@code unsupported}, {@code unusable} or
     *                    {@code unreadable}; null when not looked up
     * @param upstreamProblem what is wrong with the mirror's login to its upstream, and the fix; null when nothing is
     * @param pullBudget  for a mirror, the pulls its upstream says the mirror's login has left; null when not asked
     */
    @JsonPropertyOrder({"name", "role", "container", "network", "ip", "actualIp", "state", "display", "reachable",
            "probeError", "catalogUrl", "pushAddress", "upstream", "usedBy", "loggedState", "mode", "upstreamLogin",
            "upstreamProblem", "pullBudget"})
    public record RegistryStatus(String name, Role role, String container, String network, String ip,
                                 String actualIp, String state, String display, Boolean reachable, String probeError,
                                 String catalogUrl, String upstream, List<String> usedBy, String loggedState,
                                 String pushAddress, String mode, String upstreamLogin,
                                 Reason upstreamProblem, PullBudget pullBudget) {

        /** Not published on the host. */
        public RegistryStatus(String name, Role role, String container, String network, String ip, String actualIp,
                              String state, String display, Boolean reachable, String probeError, String catalogUrl,
                              String upstream, List<String> usedBy, String loggedState) {
            this(name, role, container, network, ip, actualIp, state, display, reachable, probeError, catalogUrl,
                    upstream, usedBy, loggedState, null);
        }

        /** Without a mirror's mode and login (build and cache). */
        public RegistryStatus(String name, Role role, String container, String network, String ip, String actualIp,
                              String state, String display, Boolean reachable, String probeError, String catalogUrl,
                              String upstream, List<String> usedBy, String loggedState, String pushAddress) {
            this(name, role, container, network, ip, actualIp, state, display, reachable, probeError, catalogUrl,
                    upstream, usedBy, loggedState, pushAddress, null, null, null, null);
        }

        /** The same with {@code budget} as its pull budget. */
        public RegistryStatus withPullBudget(PullBudget budget) {
            return new RegistryStatus(name, role, container, network, ip, actualIp, state, display, reachable,
                    probeError, catalogUrl, upstream, usedBy, loggedState, pushAddress, mode, upstreamLogin,
                    upstreamProblem, budget);
        }

        public RegistryStatus {
            usedBy = List.copyOf(usedBy);
        }

        /** Serving its cache alone, read-only. */
        public boolean offline() {
            return MirrorMode.OFFLINE.label().equals(mode);
        }

        public boolean running() {
            return "running".equals(state);
        }
    }

    /** Kinds of disagreement between the log, the plan and Docker. */
    public enum DriftKind {
        /** The log records the registry as running; Docker has no such container. */
        MISSING_CONTAINER,
        /** Another container sits on the registry's planned address. */
        FOREIGN_ON_ADDRESS,
        /** The container's config-hash label differs from the plan's. */
        CONFIG_CHANGED,
        /** The container is not at its planned address on its planned network. */
        WRONG_ADDRESS,
        /** A container lo did not create holds the registry's name. */
        NOT_MANAGED,
        /** The engine keeps restarting the registry (a mirror whose upstream does not answer). */
        RESTARTING,
        /**
         * Build or cache runs without the loopback port of the host it is planned (or recorded) on: the push
         * address lo prints does not reach it.
         */
        HOST_PORT_MISSING
    }

    /** One disagreement: what is wrong and the command that fixes it. */
    @JsonPropertyOrder({"kind", "container", "message", "fix"})
    public record Drift(DriftKind kind, String container, String message, String fix) {
    }
}
