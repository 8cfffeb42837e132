package dev.lok8s.lo.plan;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The steps of {@code lo registry down}, {@code lo registry clean} and {@code lo destroy}, decided
 * without I/O from the provision plan and the lo-labelled resources found on the machine (so a
 * registry left by an older spec under another name goes too). Every step is idempotent: a target
 * already stopped or gone is "unchanged".
 *
 * @param command the command name recorded in RunStarted ({@code registry down}, ...)
 * @param steps   in an order that respects {@code dependsOn}
 */
@JsonPropertyOrder({"command", "domain", "project", "steps"})
public record TeardownPlan(String command, String domain, String project, List<PlannedStep> steps) {

    public TeardownPlan {
        steps = List.copyOf(steps);
    }

    /**
     * lo's resources found by label: containers and volumes carrying {@link Labels#MANAGED_BY}=lo and
     * this project's label (project scope), or the shared scope's labels and sitting on the plan's shared
     * network (mirrors).
     */
    public record Found(List<Resource> containers, List<Resource> volumes) {
        public static final Found NONE = new Found(List.of(), List.of());

        public Found {
            containers = List.copyOf(containers);
            volumes = List.copyOf(volumes);
        }
    }

    /** A container or volume lo labelled: its name, role and scope. */
    public record Resource(String name, Role role, Scope scope) {
    }

    public List<String> stepIds() {
        return steps.stream().map(PlannedStep::id).toList();
    }

    /** Stops build, cache and, without a shared network, the project's mirrors. */
    public static TeardownPlan down(RegistryPlan plan) {
        List<PlannedStep> steps = new ArrayList<>();
        for (PlannedRegistry registry : projectRegistries(plan)) {
            steps.add(step(StepKind.STOP, registry.container(), List.of()));
        }
        return new TeardownPlan("registry down", plan.domain(), plan.project(), steps);
    }

    /**
     * Removes build and cache and their volumes; with {@code shared}, also the mirrors (shared ones, their
     * volumes and the shared network, after the disconnect step has cleared the network; or, without a
     * shared network, the project's own mirrors).
     */
    public static TeardownPlan clean(RegistryPlan plan, boolean shared, Found found) {
        List<PlannedStep> steps = new ArrayList<>();
        // With --shared the disconnect step comes first and everything waits for it, so a refusal changes nothing.
        List<String> gate = List.of();
        if (shared && plan.shared()) {
            PlannedStep disconnect = step(StepKind.DISCONNECT, plan.sharedNetwork().name(), List.of());
            steps.add(disconnect);
            gate = List.of(disconnect.id());
        }
        Set<Role> projectRoles = shared && !plan.shared() ? Set.of(Role.BUILD, Role.CACHE, Role.MIRROR)
                : Set.of(Role.BUILD, Role.CACHE);
        removeAll(steps, plan, found, Scope.PROJECT, projectRoles, gate);
        if (shared && plan.shared()) {
            List<String> removed = removeAll(steps, plan, found, Scope.SHARED, Set.of(Role.MIRROR), gate);
            List<String> deps = new ArrayList<>(gate);
            deps.addAll(removed);
            steps.add(step(StepKind.REMOVE_NETWORK, plan.sharedNetwork().name(), deps));
        }
        return new TeardownPlan(shared ? "registry clean --shared" : "registry clean", plan.domain(), plan.project(),
                steps);
    }

    /**
     * Deletes the kind cluster, the project's registries (build, cache, and per-project mirrors) with their
     * volumes, then the project network. Shared mirrors and the shared network stay.
     */
    public static TeardownPlan destroy(RegistryPlan plan, Found found) {
        List<PlannedStep> steps = new ArrayList<>();
        PlannedStep cluster = step(StepKind.DELETE_CLUSTER, plan.clusterName(), List.of());
        steps.add(cluster);
        List<String> removed = removeAll(steps, plan, found, Scope.PROJECT, Set.of(Role.BUILD, Role.CACHE, Role.MIRROR),
                List.of());
        List<String> deps = new ArrayList<>(List.of(cluster.id()));
        deps.addAll(removed);
        steps.add(step(StepKind.REMOVE_NETWORK, plan.projectNetwork().name(), deps));
        return new TeardownPlan("destroy", plan.domain(), plan.project(), steps);
    }

    /** Build, cache and, when there is no shared network, the mirrors: what lives on the project network. */
    static List<PlannedRegistry> projectRegistries(RegistryPlan plan) {
        return plan.registries().stream()
                .filter(r -> !r.isMirror() || !plan.shared())
                .toList();
    }

    /** Adds remove-registry and remove-volume steps; returns the remove-registry step ids. */
    private static List<String> removeAll(List<PlannedStep> steps, RegistryPlan plan, Found found, Scope scope,
                                          Set<Role> roles, List<String> gate) {
        Set<String> containers = new LinkedHashSet<>();
        Set<String> volumes = new LinkedHashSet<>();
        for (PlannedRegistry registry : plan.registries()) {
            Scope registryScope = registry.isMirror() && plan.shared() ? Scope.SHARED : Scope.PROJECT;
            if (registryScope == scope && roles.contains(registry.role())) {
                containers.add(registry.container());
                volumes.add(registry.volume());
            }
        }
        found.containers().stream().filter(r -> r.scope() == scope && roles.contains(r.role()))
                .forEach(r -> containers.add(r.name()));
        found.volumes().stream().filter(r -> r.scope() == scope && roles.contains(r.role()))
                .forEach(r -> volumes.add(r.name()));
        List<String> ids = new ArrayList<>();
        for (String container : containers) {
            PlannedStep step = step(StepKind.REMOVE_REGISTRY, container, gate);
            steps.add(step);
            ids.add(step.id());
        }
        // A volume goes once no container of this kind is left to hold it.
        for (String volume : volumes) {
            steps.add(step(StepKind.REMOVE_VOLUME, volume, ids));
        }
        return ids;
    }

    private static PlannedStep step(StepKind kind, String target, List<String> dependsOn) {
        return new PlannedStep(kind.id() + ":" + target, kind, target, dependsOn);
    }
}
