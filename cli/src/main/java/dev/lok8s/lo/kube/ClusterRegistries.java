package dev.lok8s.lo.kube;

import dev.lok8s.lo.events.ClusterRegistriesPublished;
import dev.lok8s.lo.events.StepOutcome;
import dev.lok8s.lo.plan.Labels;
import dev.lok8s.lo.plan.RegistryPlan;
import dev.lok8s.lo.plan.Sha256;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.eclipse.microprofile.config.ConfigProvider;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Writes {@link RegistryHosting#desired} into a cluster through its API server, as an ensure
 * operation: each ConfigMap is created when absent, updated when its data or lo's labels differ,
 * and left alone (no write) when already right. The Kubernetes client is built only here, when
 * the step runs, so commands that never reach a cluster do not load it.
 */
public final class ClusterRegistries {

    /** What the publication did, and the event that records it when it wrote anything. */
    public record Publication(StepOutcome outcome, String detail, ClusterRegistriesPublished event) {
    }

    /** A failure talking to the API server, with the server's own message. */
    public static final class ClusterApiException extends RuntimeException {
        ClusterApiException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The setting that turns the step off ({@code LO_REGISTRY_DISCOVERY=false}), for clusters lo must not write to. */
    public static final String ENABLED_SETTING = "lo.registry-discovery";

    private ClusterRegistries() {
    }

    public static boolean enabled() {
        return ConfigProvider.getConfig()
                .getOptionalValue(ENABLED_SETTING, Boolean.class).orElse(true);
    }

    /** Ensures both ConfigMaps in the cluster the kubeconfig points at. */
    public static Publication ensure(RegistryPlan plan, String kubeconfig) {
        Config config;
        try {
            config = Config.fromKubeconfig(kubeconfig);
        } catch (RuntimeException e) {
            throw new ClusterApiException("cannot read the kubeconfig of kind cluster " + plan.clusterName() + ": "
                    + e.getMessage(), e);
        }
        config.setRequestTimeout(15_000);
        config.setConnectionTimeout(5_000);
        config.setRequestRetryBackoffLimit(2);
        try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build()) {
            return ensure(plan, client);
        }
    }

    /** Ensures both ConfigMaps through the given client. */
    public static Publication ensure(RegistryPlan plan, KubernetesClient client) {
        List<RegistryHosting.DesiredConfigMap> desired = RegistryHosting.desired(plan);
        List<String> written = new ArrayList<>();
        List<String> created = new ArrayList<>();
        List<String> adopted = new ArrayList<>();
        for (RegistryHosting.DesiredConfigMap want : desired) {
            try {
                var resource = client.configMaps().inNamespace(want.namespace()).withName(want.name());
                ConfigMap existing = resource.get();
                if (existing == null) {
                    client.configMaps().inNamespace(want.namespace()).resource(build(want, null)).create();
                    written.add(want.key());
                    created.add(want.key());
                } else if (!upToDate(existing, want)) {
                    if (!Labels.MANAGED_BY_LO.equals(labels(existing).get(Labels.MANAGED_BY))) {
                        adopted.add(want.key());
                    }
                    // the resourceVersion read makes the update fail rather than overwrite a concurrent change
                    client.configMaps().inNamespace(want.namespace())
                            .resource(build(want, existing)).update();
                    written.add(want.key());
                }
            } catch (KubernetesClientException e) {
                throw new ClusterApiException("cannot write ConfigMap " + want.key() + " in kind cluster "
                        + plan.clusterName() + ": " + message(e), e);
            }
        }
        if (written.isEmpty()) {
            return new Publication(StepOutcome.unchanged, desired.size() + " ConfigMaps up to date", null);
        }
        StepOutcome outcome = created.size() == desired.size() ? StepOutcome.created
                : !adopted.isEmpty() ? StepOutcome.adopted : StepOutcome.replaced;
        return new Publication(outcome, String.join(", ", written) + " written",
                new ClusterRegistriesPublished(plan.domain(), plan.project(), plan.clusterName(), written,
                        dataHash(desired)));
    }

    /** Up to date when the data is exactly lo's and every label of lo's is there (others may add theirs). */
    static boolean upToDate(ConfigMap existing, RegistryHosting.DesiredConfigMap want) {
        Map<String, String> data = existing.getData() == null ? Map.of() : existing.getData();
        if (!data.equals(want.data())) {
            return false;
        }
        Map<String, String> labels = labels(existing);
        return want.labels().entrySet().stream().allMatch(l -> Objects.equals(labels.get(l.getKey()), l.getValue()));
    }

    private static Map<String, String> labels(ConfigMap map) {
        return map.getMetadata() == null || map.getMetadata().getLabels() == null ? Map.of()
                : map.getMetadata().getLabels();
    }

    private static ConfigMap build(RegistryHosting.DesiredConfigMap want, ConfigMap existing) {
        Map<String, String> labels = new HashMap<>(existing == null ? Map.of() : labels(existing));
        labels.putAll(want.labels());
        var builder = new ConfigMapBuilder().withNewMetadata().withNamespace(want.namespace()).withName(want.name())
                .withLabels(labels);
        if (existing != null && existing.getMetadata() != null) {
            builder = builder.withAnnotations(existing.getMetadata().getAnnotations())
                    .withResourceVersion(existing.getMetadata().getResourceVersion());
        }
        return builder.endMetadata().withData(want.data()).build();
    }

    public static String dataHash(List<RegistryHosting.DesiredConfigMap> desired) {
        StringBuilder all = new StringBuilder();
        for (RegistryHosting.DesiredConfigMap map : desired) {
            all.append(map.key()).append('\n');
            new TreeMap<>(map.data()).forEach((k, v) -> all.append(k).append('\n').append(v).append('\n'));
        }
        return Sha256.hex(all.toString());
    }

    private static String message(KubernetesClientException e) {
        if (e.getStatus() != null && e.getStatus().getMessage() != null) {
            return "HTTP " + e.getCode() + " " + e.getStatus().getMessage();
        }
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return e.getMessage() + (root == e ? "" : " (" + root + ")");
    }
}
