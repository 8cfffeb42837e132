package dev.lok8s.lo.kube;

import dev.lok8s.lo.plan.Role;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.lok8s.lo.plan.Labels;
import dev.lok8s.lo.plan.Planner;
import dev.lok8s.lo.plan.PlannedRegistry;
import dev.lok8s.lo.plan.RegistryPlan;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ConfigMaps that tell a cluster where its registries are, decided from the plan alone:
 * {@code kube-public/local-registry-hosting} in the shape KEP-1755 defines (read by Tilt, Skaffold,
 * ctlptl to find where to push), and {@code kube-system/lok8s-registries} listing every registry
 * for in-cluster tooling. Pure.
 */
public final class RegistryHosting {

    public static final String HOSTING_NAMESPACE = "kube-public";
    public static final String HOSTING_NAME = "local-registry-hosting";
    public static final String HOSTING_KEY = "localRegistryHosting.v1";
    public static final String REGISTRIES_NAMESPACE = "kube-system";
    public static final String REGISTRIES_NAME = "lok8s-registries";
    public static final String REGISTRIES_KEY = "registries.json";
    /** Where {@code help} points: the page of lo's documentation that explains these ConfigMaps. */
    public static final String HELP_URL = "https://github.com/lok8s/lo/blob/main/docs/registry-discovery.md";
    /** The standard Kubernetes label for the tool that manages an object, beside lo's own. */
    public static final String K8S_MANAGED_BY = "app.kubernetes.io/managed-by";

    /** A ConfigMap as lo wants it: its labels are lo's, its data is the whole of it. */
    public record DesiredConfigMap(String namespace, String name, Map<String, String> labels,
                                   Map<String, String> data) {
        public DesiredConfigMap {
            labels = Map.copyOf(labels);
            data = Map.copyOf(data);
        }

        public String key() {
            return namespace + "/" + name;
        }
    }

    /**
     * One registry in {@code lok8s-registries}.
     *
     * @param pushAddress {@code localhost:<port>} for build and cache published on the host; left out otherwise
     */
    public record Entry(String name, Role role, String ip, String hostname, String url, boolean shared,
                        String upstream, @JsonInclude(JsonInclude.Include.NON_NULL) String pushAddress) {
    }

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private RegistryHosting() {
    }

    public static List<DesiredConfigMap> desired(RegistryPlan plan) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(K8S_MANAGED_BY, Labels.MANAGED_BY_LO);
        labels.put(Labels.MANAGED_BY, Labels.MANAGED_BY_LO);
        labels.put(Labels.PROJECT, plan.project());
        return List.of(
                new DesiredConfigMap(HOSTING_NAMESPACE, HOSTING_NAME, labels, Map.of(HOSTING_KEY, hosting(plan))),
                new DesiredConfigMap(REGISTRIES_NAMESPACE, REGISTRIES_NAME, labels,
                        Map.of(REGISTRIES_KEY, registries(plan))));
    }

    /**
     * {@code localRegistryHosting.v1}: {@code host} is where the host pushes: {@code localhost:<port>}, the
     * build registry published on the host's loopback (a Docker daemon speaks plain HTTP to loopback without
     * any setting); with host ports off, the build registry's address with the scheme's default port left out.
     * The other two are how nodes name it.
     */
    static String hosting(RegistryPlan plan) {
        PlannedRegistry build = plan.build();
        String host = build.pushAddress() != null ? build.pushAddress() : build.ip();
        return "host: \"" + host + "\"\n"
                + "hostFromClusterNetwork: \"" + Planner.BUILD_HOSTNAME + "\"\n"
                + "hostFromContainerRuntime: \"" + Planner.BUILD_HOSTNAME + "\"\n"
                + "help: \"" + HELP_URL + "\"\n";
    }

    static String registries(RegistryPlan plan) {
        List<Entry> entries = new ArrayList<>();
        for (PlannedRegistry r : plan.registries()) {
            entries.add(new Entry(r.name(), r.role(), r.ip(), r.hostname(), r.url(),
                    r.isMirror() && plan.shared(), r.upstream(), r.pushAddress()));
        }
        try {
            return JSON.writeValueAsString(entries) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render the registry list: " + e.getMessage(), e);
        }
    }
}
