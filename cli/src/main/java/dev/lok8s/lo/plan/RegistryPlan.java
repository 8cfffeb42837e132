package dev.lok8s.lo.plan;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * Everything a provision will do, decided without I/O: networks, registries, certificate SANs,
 * the containerd certs.d tree, the kind config and the ordered steps. Serialised as-is by
 * {@code lo provision --dry-run -o json}; see {@code docs/plan-json.md}.
 *
 * @param project        {@code metadata.name}
 * @param sharedNetwork  the shared mirrors' network; null when {@code shared.enabled} is false
 * @param port           80, or 443 in TLS mode
 * @param registries     build, cache, then the mirrors in spec order
 * @param tlsSans        SANs of the registry certificate: every registry IP, then {@code lok8s.local},
 *                       {@code lok8s.cache}; empty when {@code tls} is false
 * @param certsDir       absolute host path of the certs.d tree bind-mounted into every node
 * @param certsFiles     path relative to {@code certsDir} to file content
 * @param kindConfig     the kind {@code Cluster} config YAML
 * @param hash           sha-256 hex over every other component ({@link PlanHash}): equal hashes mean equal
 *                       effects
 */
@JsonPropertyOrder({"project", "domain", "slot", "clusterName", "projectNetwork", "sharedNetwork", "tls", "port",
        "image", "registries", "tlsSans", "certsDir", "certsFiles", "kindConfig", "steps", "hash"})
public record RegistryPlan(String project, String domain, int slot, String clusterName,
                           PlannedNetwork projectNetwork, PlannedNetwork sharedNetwork, boolean tls, int port,
                           String image, List<PlannedRegistry> registries, List<String> tlsSans, String certsDir,
                           Map<String, String> certsFiles, String kindConfig, List<PlannedStep> steps,
                           String hash) {

    public RegistryPlan {
        registries = List.copyOf(registries);
        tlsSans = List.copyOf(tlsSans);
        certsFiles = Ordered.copy(certsFiles);
        steps = List.copyOf(steps);
    }

    /** This plan with its {@code hash} computed from every other component. */
    public RegistryPlan hashed() {
        return new RegistryPlan(project, domain, slot, clusterName, projectNetwork, sharedNetwork, tls, port, image,
                registries, tlsSans, certsDir, certsFiles, kindConfig, steps, PlanHash.of(this));
    }

    /** This plan with other steps, hashed anew. */
    public RegistryPlan withSteps(List<PlannedStep> otherSteps) {
        return new RegistryPlan(project, domain, slot, clusterName, projectNetwork, sharedNetwork, tls, port, image,
                registries, tlsSans, certsDir, certsFiles, kindConfig, otherSteps, null).hashed();
    }

    /** The registry named {@code build}, {@code cache} or a mirror's name. */
    public PlannedRegistry registry(String name) {
        return registries.stream().filter(r -> r.name().equals(name)).findFirst()
                .orElseThrow(() -> new NoSuchElementException("no registry named " + name + " in the plan"));
    }

    @JsonIgnore
    public PlannedRegistry build() {
        return registry("build");
    }

    @JsonIgnore
    public PlannedRegistry cache() {
        return registry("cache");
    }

    @JsonIgnore
    public List<PlannedRegistry> mirrors() {
        return registries.stream().filter(PlannedRegistry::isMirror).toList();
    }

    @JsonIgnore
    public boolean shared() {
        return sharedNetwork != null;
    }

    /** The project network, then the shared one when there is one. */
    @JsonIgnore
    public List<PlannedNetwork> networks() {
        List<PlannedNetwork> networks = new ArrayList<>();
        networks.add(projectNetwork);
        if (sharedNetwork != null) {
            networks.add(sharedNetwork);
        }
        return Collections.unmodifiableList(networks);
    }

    public PlannedStep step(String id) {
        return steps.stream().filter(s -> s.id().equals(id)).findFirst()
                .orElseThrow(() -> new NoSuchElementException("no step " + id + " in the plan"));
    }

    /** Step ids in plan order. */
    @JsonIgnore
    public List<String> stepIds() {
        return steps.stream().map(PlannedStep::id).toList();
    }

    /** Volume name to its labels, in registry order. */
    @JsonIgnore
    public Map<String, Map<String, String>> volumes() {
        Map<String, Map<String, String>> volumes = new LinkedHashMap<>();
        registries.forEach(r -> volumes.put(r.volume(), r.volumeLabels()));
        return Collections.unmodifiableMap(volumes);
    }
}
