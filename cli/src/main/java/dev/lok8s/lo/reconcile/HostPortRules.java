package dev.lok8s.lo.reconcile;

import dev.lok8s.lo.engine.ContainerInfo;
import dev.lok8s.lo.engine.PublishedPort;
import dev.lok8s.lo.failure.Reason;
import dev.lok8s.lo.plan.Labels;
import dev.lok8s.lo.plan.PlannedRegistry;
import dev.lok8s.lo.plan.Planner;
import dev.lok8s.lo.plan.RegistryPlan;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Whether the loopback ports a plan publishes build and cache on are free for it, decided before a run
 * changes anything. Pure: given every container the engine has and the ports nothing of Docker's could be
 * bound on, the refusals, one per port, naming the holder when it is known.
 * <p>
 * A port is this project's own when the registry's own container was created with it (its
 * {@link Labels#HOST_PORT} label) or publishes it. Another lo project's registry holds a port while it
 * exists, running or stopped (starting it again would take it back), so its label counts too. A port
 * nothing in Docker publishes but that cannot be bound is another process's.
 */
public final class HostPortRules {

    private HostPortRules() {
    }

    /** Every planned host port, by registry container. */
    public static Map<String, Integer> planned(RegistryPlan plan) {
        Map<String, Integer> ports = new LinkedHashMap<>();
        for (PlannedRegistry r : plan.registries()) {
            if (r.hostPort() != null) {
                ports.put(r.container(), r.hostPort());
            }
        }
        return ports;
    }

    /**
     * @param containers every container of the engine, running or not
     * @param unbindable the planned ports a bind on 127.0.0.1 failed for just now
     * @return the refusals, empty when every port is free or already this project's
     */
    public static List<Reason> conflicts(RegistryPlan plan, Collection<ContainerInfo> containers,
                                         Set<Integer> unbindable) {
        List<Reason> out = new ArrayList<>();
        Map<Integer, PlannedRegistry> first = new HashMap<>();
        for (PlannedRegistry registry : plan.registries()) {
            Integer port = registry.hostPort();
            if (port == null) {
                continue;
            }
            PlannedRegistry twin = first.putIfAbsent(port, registry);
            if (twin != null) {
                out.add(Reason.of("host port " + port + " is planned for both " + twin.name() + " and "
                                + registry.name() + " of project " + plan.project(),
                        "give one of them another port (" + field(registry) + " or " + field(twin) + ", "
                                + "1024 to 65535)"));
                continue;
            }
            String holder = holder(registry, containers);
            if (holder == null && unbindable.contains(port) && !ownPublishes(registry, containers)) {
                holder = "another process on this machine (it does not answer to Docker; ss -ltnp 'sport = :"
                        + port + "' names it)";
            }
            if (holder != null) {
                out.add(Reason.of("host port " + Planner.LOOPBACK_IP + ":" + port + " for " + registry.name()
                                + " of project " + plan.project() + " is taken by " + holder,
                        "set " + field(registry) + " to a free port (1024 to 65535), or free " + port));
            }
        }
        return out;
    }

    /** The container other than the registry's own that holds its port, described; null when none does. */
    private static String holder(PlannedRegistry registry, Collection<ContainerInfo> containers) {
        String port = Integer.toString(registry.hostPort());
        for (ContainerInfo c : containers) {
            if (c.name().equals(registry.container())) {
                continue;
            }
            boolean lo = Labels.MANAGED_BY_LO.equals(c.labels().get(Labels.MANAGED_BY));
            boolean labelled = lo && port.equals(c.labels().get(Labels.HOST_PORT));
            boolean publishes = c.ports().stream().anyMatch(p -> p.hostPort() == registry.hostPort()
                    && coversLoopback(p));
            if (labelled || publishes) {
                String project = lo ? c.labels().get(Labels.PROJECT) : null;
                return "container '" + c.name() + "'" + (project != null ? " of lo project '" + project + "'"
                        : lo ? " of lo" : "") + (c.running() ? "" : " (" + c.state() + ")");
            }
        }
        return null;
    }

    /** Whether the registry's own container runs with its port (then it is what holds it). */
    private static boolean ownPublishes(PlannedRegistry registry, Collection<ContainerInfo> containers) {
        // "created" too: Docker binds a container's ports while starting it, before it reports it running
        return containers.stream().filter(c -> c.name().equals(registry.container())
                && (c.running() || "created".equals(c.state()))).anyMatch(c ->
                Objects.equals(Integer.toString(registry.hostPort()), c.labels().get(Labels.HOST_PORT))
                        || c.ports().stream().anyMatch(p -> p.hostPort() == registry.hostPort()));
    }

    private static boolean coversLoopback(PublishedPort port) {
        return port.hostIp().isEmpty() || port.hostIp().equals("0.0.0.0") || port.hostIp().equals("::")
                || port.hostIp().equals(Planner.LOOPBACK_IP);
    }

    private static String field(PlannedRegistry registry) {
        return "spec.registries." + registry.name() + ".hostPort";
    }
}
