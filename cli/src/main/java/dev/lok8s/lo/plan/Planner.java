package dev.lok8s.lo.plan;

import dev.lok8s.lo.spec.Cidr;
import dev.lok8s.lo.spec.ClusterSpec;
import dev.lok8s.lo.spec.MirrorSpec;
import dev.lok8s.lo.spec.NetworkSpec;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a validated spec into a {@link RegistryPlan}: every name, address, file and step a
 * provision needs, decided here and nowhere else. Pure: no I/O, same input, same plan.
 */
public final class Planner {

    public static final String BUILD = "build";
    public static final String CACHE = "cache";
    public static final String BUILD_HOSTNAME = "lok8s.local";
    public static final String CACHE_HOSTNAME = "lok8s.cache";
    /** Where build and cache are published on the host: loopback only, never every interface. */
    public static final String LOOPBACK_IP = "127.0.0.1";
    public static final String LOOPBACK_HOSTNAME = "localhost";
    /** Shared mirror containers are {@code <namePrefix>lok8s-registry-<mirror>}. */
    public static final String SHARED_MIRROR_PREFIX = "lok8s-registry-";

    static final int BUILD_OFFSET = 101;
    static final int CACHE_OFFSET = 102;
    static final int FIRST_PROJECT_MIRROR_OFFSET = 103;
    static final int FIRST_SHARED_MIRROR_OFFSET = 2;
    static final int PLAIN_PORT = 80;
    static final int TLS_PORT = 443;

    /** Relative to the project directory: where the TLS step keeps the registry certificate. */
    public static final String TLS_DIR = ".secrets/tls/registries";
    /** Relative to the project directory: the certs.d tree mounted into every node. */
    public static final String CERTS_DIR = ".containerd/certs.d";

    /** The registry hosts the standard mirrors stand for (docker.io's API lives at registry-1). */
    static final Map<String, String> STANDARD_HOSTS = Map.of(
            "io-docker", "docker.io",
            "io-quay", "quay.io",
            "io-k8s", "registry.k8s.io",
            "io-ghcr", "ghcr.io");

    private Planner() {
    }

    public static RegistryPlan plan(ClusterSpec spec, PlanSettings settings) {
        String project = spec.name();
        boolean shared = spec.registries().shared();
        boolean tls = spec.registries().tls();
        int port = tls ? TLS_PORT : PLAIN_PORT;
        String image = spec.registries().image();
        NetworkSpec projectSpec = spec.network();
        NetworkSpec sharedSpec = shared ? spec.registries().sharedNetwork() : null;

        PlannedNetwork projectNetwork = new PlannedNetwork(projectSpec.name(), projectSpec.cidr().toString(),
                projectSpec.cidr().gateway(), projectSpec.cidr().dynamicRange().toString(), Scope.PROJECT,
                labels(Labels.ROLE_NETWORK, Scope.PROJECT, project, null, settings));
        PlannedNetwork sharedNetwork = sharedSpec == null ? null
                : new PlannedNetwork(sharedSpec.name(), sharedSpec.cidr().toString(), sharedSpec.cidr().gateway(),
                        sharedSpec.cidr().dynamicRange().toString(), Scope.SHARED, labels(Labels.ROLE_NETWORK, Scope.SHARED, project, null, settings));

        List<PlannedRegistry> registries = new ArrayList<>();
        String projectPrefix = projectSpec.name() + "-registry-";
        HostPortRule hostPorts = settings.hostPorts();
        registries.add(registry(BUILD, Role.BUILD, projectPrefix + BUILD, false, projectNetwork,
                address(projectSpec, BUILD_OFFSET, BUILD), BUILD_HOSTNAME, null, tls, project, settings,
                hostPorts.port(Role.BUILD, spec.slot(), spec.registries().buildHostPort())));
        registries.add(registry(CACHE, Role.CACHE, projectPrefix + CACHE, false, projectNetwork,
                address(projectSpec, CACHE_OFFSET, CACHE), CACHE_HOSTNAME, null, tls, project, settings,
                hostPorts.port(Role.CACHE, spec.slot(), spec.registries().cacheHostPort())));
        int offset = shared ? FIRST_SHARED_MIRROR_OFFSET : FIRST_PROJECT_MIRROR_OFFSET;
        for (MirrorSpec mirror : spec.registries().mirrors()) {
            String baseName = shared ? SHARED_MIRROR_PREFIX + mirror.name() : projectPrefix + mirror.name();
            PlannedNetwork network = shared ? sharedNetwork : projectNetwork;
            NetworkSpec networkSpec = shared ? sharedSpec : projectSpec;
            registries.add(registry(mirror.name(), Role.MIRROR, baseName, shared, network,
                    address(networkSpec, offset++, "mirror " + mirror.name()), mirrorHostname(mirror),
                    mirror.url().toString(), tls, project, settings, null));
        }

        List<String> tlsSans = new ArrayList<>();
        if (tls) {
            registries.forEach(r -> tlsSans.add(r.ip()));
            tlsSans.add(BUILD_HOSTNAME);
            tlsSans.add(CACHE_HOSTNAME);
            if (registries.stream().anyMatch(r -> r.hostPort() != null)) {
                // what the host pushes to: localhost:<port>, which some clients resolve to 127.0.0.1 first
                tlsSans.add(LOOPBACK_HOSTNAME);
                tlsSans.add(LOOPBACK_IP);
            }
        }

        String certsDir = settings.projectDir().resolve(CERTS_DIR).toString();
        String kindConfig = KindClusterConfig.render(project, spec.nodes(), spec.kubernetesVersion(), certsDir);
        List<PlannedStep> steps = steps(spec, settings, projectNetwork, sharedNetwork, image, tls, registries,
                certsDir);

        Map<String, String> certsFiles = certsFiles(registries, tls);

        return new RegistryPlan(project, spec.domain(), spec.slot(), project, projectNetwork, sharedNetwork, tls,
                port, image, registries, tlsSans, certsDir, certsFiles, kindConfig, steps, null).hashed();
    }

    /** The registry host a mirror stands in for: known for the standard four, else the URL's host. */
    static String mirrorHostname(MirrorSpec mirror) {
        String known = STANDARD_HOSTS.get(mirror.name());
        if (known != null) {
            return known;
        }
        URI url = mirror.url();
        if (url.getHost() == null) {
            throw new IllegalArgumentException("mirror " + mirror.name() + " has no host in its url " + url);
        }
        return url.getPort() == -1 ? url.getHost() : url.getHost() + ":" + url.getPort();
    }

    /**
     * @param baseName        the container name before any prefix
     * @param hostPort        the loopback port it is published on; null for none
     * @param prefixContainer whether the container name is the plan's own (shared mirrors) rather than
     *                        derived from the spec's network name; volumes are always the plan's own
     */
    private static PlannedRegistry registry(String name, Role role, String baseName, boolean prefixContainer,
                                            PlannedNetwork network, String ip, String hostname, String upstream,
                                            boolean tls, String project, PlanSettings settings,
                                            Integer hostPort) {
        String container = prefixContainer ? settings.namePrefix() + baseName : baseName;
        String volume = settings.namePrefix() + baseName + "-data";
        String config = RegistryConfigYaml.render(tls, upstream);
        String configHash = Sha256.hex(config);
        Scope scope = network.scope();
        String url = (tls ? "https" : "http") + "://" + ip + "/v2/_catalog";
        Map<String, String> labels = labels(role.label(), scope, project, configHash, settings);
        if (hostPort != null) {
            labels.put(Labels.HOST_PORT, Integer.toString(hostPort));
        }
        return new PlannedRegistry(name, role, container, network.name(), ip, hostname, url, upstream, volume,
                config, configHash, labels, hostPort);
    }

    private static Map<String, String> labels(String role, Scope scope, String project, String configHash,
                                              PlanSettings settings) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(Labels.MANAGED_BY, Labels.MANAGED_BY_LO);
        labels.put(Labels.ROLE, role);
        labels.put(Labels.SCOPE, scope.label());
        if (scope == Scope.PROJECT) {
            labels.put(Labels.PROJECT, project);
        }
        if (configHash != null) {
            labels.put(Labels.CONFIG_HASH, configHash);
        }
        labels.putAll(settings.extraLabels());
        return labels;
    }

    /** Each registry answers under its hostname and its raw IP, so both get a hosts.toml. */
    private static Map<String, String> certsFiles(List<PlannedRegistry> registries, boolean tls) {
        Map<String, String> files = new LinkedHashMap<>();
        for (PlannedRegistry registry : registries) {
            String toml = HostsToml.render(registry, tls);
            for (String dir : List.of(registry.hostname(), registry.ip())) {
                String path = dir + "/hosts.toml";
                if (files.put(path, toml) != null) {
                    throw new IllegalArgumentException("two registries claim the containerd host " + dir);
                }
            }
        }
        return files;
    }

    private static List<PlannedStep> steps(ClusterSpec spec, PlanSettings settings, PlannedNetwork projectNetwork,
                                           PlannedNetwork sharedNetwork, String image, boolean tls,
                                           List<PlannedRegistry> registries, String certsDir) {
        List<PlannedStep> steps = new ArrayList<>();
        String checkSubnets = StepKind.CHECK_SUBNETS.id();
        String projectNet = id(StepKind.NETWORK, projectNetwork.name());
        String sharedNet = sharedNetwork == null ? null : id(StepKind.NETWORK, sharedNetwork.name());
        String imageStep = id(StepKind.IMAGE, image);
        String tlsCert = StepKind.TLS_CERT.id();
        String certs = StepKind.CERTS_DIR.id();
        String cluster = id(StepKind.CLUSTER, spec.name());

        steps.add(new PlannedStep(checkSubnets, StepKind.CHECK_SUBNETS,
                String.join(",", sharedNetwork == null ? List.of(projectNetwork.name())
                        : List.of(projectNetwork.name(), sharedNetwork.name())), List.of()));
        steps.add(new PlannedStep(projectNet, StepKind.NETWORK, projectNetwork.name(), List.of(checkSubnets)));
        if (sharedNetwork != null) {
            steps.add(new PlannedStep(sharedNet, StepKind.NETWORK, sharedNetwork.name(), List.of(checkSubnets)));
        }
        // After check-subnets, like everything that changes the machine: a refused spec pulls and writes nothing.
        steps.add(new PlannedStep(imageStep, StepKind.IMAGE, image, List.of(checkSubnets)));
        if (tls) {
            steps.add(new PlannedStep(tlsCert, StepKind.TLS_CERT,
                    settings.projectDir().resolve(TLS_DIR).toString(),
                    sharedNet == null ? List.of(projectNet) : List.of(projectNet, sharedNet)));
        }
        List<String> registrySteps = new ArrayList<>();
        for (PlannedRegistry registry : registries) {
            String id = id(StepKind.REGISTRY, registry.container());
            List<String> deps = new ArrayList<>(List.of(id(StepKind.NETWORK, registry.network()), imageStep));
            if (tls) {
                deps.add(tlsCert);
            }
            steps.add(new PlannedStep(id, StepKind.REGISTRY, registry.container(), deps));
            registrySteps.add(id);
        }
        // The TLS step writes the CA into certs.d/.ca; hosts.toml files follow so the tree is whole.
        steps.add(new PlannedStep(certs, StepKind.CERTS_DIR, certsDir, List.of(tls ? tlsCert : checkSubnets)));
        steps.add(new PlannedStep(cluster, StepKind.CLUSTER, spec.name(), List.of(projectNet,
                id(StepKind.REGISTRY, registries.get(0).container()),
                id(StepKind.REGISTRY, registries.get(1).container()), certs)));
        if (sharedNetwork != null) {
            steps.add(new PlannedStep(id(StepKind.CONNECT, sharedNetwork.name()), StepKind.CONNECT,
                    sharedNetwork.name(), List.of(cluster, sharedNet)));
        }
        steps.add(new PlannedStep(id(StepKind.REGISTRY_DISCOVERY, spec.name()), StepKind.REGISTRY_DISCOVERY,
                spec.name(), List.of(cluster)));
        steps.add(new PlannedStep(StepKind.VERIFY.id(), StepKind.VERIFY, spec.name(), registrySteps));
        return steps;
    }

    private static String id(StepKind kind, String target) {
        return kind.id() + ":" + target;
    }

    /** The host at {@code offset}, refusing the network, gateway-less edge and broadcast addresses. */
    private static String address(NetworkSpec network, int offset, String what) {
        Cidr cidr = network.cidr();
        if (offset >= cidr.firstDynamicOffset()) {
            throw new IllegalArgumentException("network " + network.name() + " (" + cidr + ") has no room for "
                    + what + " at offset ." + offset);
        }
        return cidr.host(offset);
    }
}
