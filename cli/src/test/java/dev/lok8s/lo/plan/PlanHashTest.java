package dev.lok8s.lo.plan;

import dev.lok8s.lo.spec.SpecBuilder;
import org.junit.jupiter.api.Test;

import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class PlanHashTest {

    private final String base = SpecBuilder.defaultCluster().plan().hash();

    @Test
    void isStableAcrossRuns() {
        assertThat(base).as("sha-256 hex").matches("[0-9a-f]{64}");
        assertThat(SpecBuilder.defaultCluster().plan().hash()).as("same spec, same hash").isEqualTo(base);
        assertThat(SpecBuilder.defaultCluster().plan()).as("plans are values").isEqualTo(SpecBuilder.defaultCluster().plan());
    }

    @Test
    void changesWhenAnyPlannedEffectChanges() {
        assertThat(SpecBuilder.defaultCluster().tls(true).plan().hash()).as("tls").isNotEqualTo(base);
        assertThat(SpecBuilder.defaultCluster().shared(false).plan().hash()).as("shared").isNotEqualTo(base);
        assertThat(SpecBuilder.defaultCluster().network("lok8s", "10.125.126.0/24").plan().hash()).as("subnet")
                .isNotEqualTo(base);
        assertThat(SpecBuilder.defaultCluster().mirrors("io-docker", "https://registry-1.docker.io").plan().hash())
                .as("mirror list").isNotEqualTo(base);
        assertThat(SpecBuilder.defaultCluster().mirrors("io-docker", "https://mirror.gcr.io", "io-quay",
                "https://quay.io", "io-k8s", "https://registry.k8s.io", "io-ghcr", "https://ghcr.io").plan().hash())
                .as("an upstream url").isNotEqualTo(base);
        assertThat(SpecBuilder.defaultCluster().image("registry:2.8.2").plan().hash()).as("image")
                .isNotEqualTo(base);
        assertThat(SpecBuilder.defaultCluster().nodes(1, 1).plan().hash()).as("node count").isNotEqualTo(base);
        assertThat(SpecBuilder.defaultCluster().kubernetesVersion("1.31.0").plan().hash()).as("k8s version")
                .isNotEqualTo(base);
        assertThat(Planner.plan(SpecBuilder.defaultCluster().spec(),
                PlanSettings.of(Path.of("/elsewhere/clusters/lok8s.dev"))).hash()).as("project dir")
                .isNotEqualTo(base);
        assertThat(Planner.plan(SpecBuilder.defaultCluster().spec(),
                new PlanSettings("", Map.of("dev.lok8s.test", "x"), SpecBuilder.PROJECT_DIR)).hash())
                .as("labels").isNotEqualTo(base);
    }

    /**
     * The hashes earlier versions recorded for these plans: runs they left interrupted resume only
     * while the same spec still hashes the same. A change here must be deliberate (docs/runs.md).
     */
    @Test
    void keepsTheHashesEarlierVersionsRecorded() {
        // Earlier versions published no host ports: their plans are today's with the rule off.
        assertThat(SpecBuilder.defaultCluster().plan(HostPortRule.OFF).hash()).as("default")
                .isEqualTo("cd118cb36f7463534057e1673072d651aa84fa1cca87952991932959a954c521");
        assertThat(RegistriesOnly.of(SpecBuilder.defaultCluster().plan(HostPortRule.OFF)).hash()).as("registry up")
                .isEqualTo("dafaa21e073c453d4398a9c3f5411855c3f7199afcef50b53aed9b8292ba83d7");
        assertThat(SpecBuilder.defaultCluster().tls(true).plan(HostPortRule.OFF).hash()).as("tls")
                .isEqualTo("3688313ba3828c663c110f6fbcf24ad943d47366b20f0f662dbda042c3e8eab3");
        assertThat(SpecBuilder.defaultCluster().shared(false).plan(HostPortRule.OFF).hash()).as("own subnet")
                .isEqualTo("5738ccb8c8a22735280e50be8f637c121c963fe684f63570a940194b7cc35bc1");
    }

    @Test
    void keepsTheHashesOfPlansWithHostPorts() {
        assertThat(SpecBuilder.defaultCluster().plan().hash()).as("default")
                .isEqualTo("68edf4d79c31106150fa17edaf1fbb50b954adf25c55a198b3e855e82796f1dd");
        assertThat(RegistriesOnly.of(SpecBuilder.defaultCluster().plan()).hash()).as("registry up")
                .isEqualTo("82a8e2bc7c4ee4ae9a2b381aeea8186a70cddd13c5acb45599379569b2b7552d");
        assertThat(SpecBuilder.defaultCluster().tls(true).plan().hash()).as("tls")
                .isEqualTo("b84198a6a4a1e0b62edc32c77260bc8ffcd7a68da4119a5dc220d35c93b1c119");
        assertThat(SpecBuilder.defaultCluster().shared(false).plan().hash()).as("own subnet")
                .isEqualTo("6b465913b654f1fdf7b421ebf09936d34dcf5bd5383cc1b55dacd911eb93ea43");
    }

    @Test
    void aHostPortChangesTheHash() {
        assertThat(SpecBuilder.defaultCluster().hostPorts(5005, null).plan().hash()).as("another build port")
                .isNotEqualTo(SpecBuilder.defaultCluster().plan().hash());
        assertThat(SpecBuilder.defaultCluster().plan().hash()).as("published or not")
                .isNotEqualTo(SpecBuilder.defaultCluster().plan(HostPortRule.OFF).hash());
    }

    @Test
    void aPlanWhoseHashIsAlreadySetHashesAsWithout() {
        RegistryPlan plan = SpecBuilder.defaultCluster().plan();
        assertThat(plan.hashed()).as("hashing a hashed plan").isEqualTo(plan);
    }

    /**
     * PlanHash renders the plan by hand (it runs for every command that plans); this walks the records
     * by reflection, so a component added to a plan record and not rendered by PlanHash fails here.
     */
    @Test
    void rendersEveryComponentOfThePlanRecords() {
        for (RegistryPlan plan : List.of(SpecBuilder.defaultCluster().plan(), SpecBuilder.defaultCluster().tls(true).plan(),
                SpecBuilder.defaultCluster().plan(HostPortRule.OFF), SpecBuilder.defaultCluster().tls(true).plan(HostPortRule.OFF),
                SpecBuilder.defaultCluster().shared(false).plan(), RegistriesOnly.of(SpecBuilder.defaultCluster().plan()),
                Planner.plan(SpecBuilder.defaultCluster().spec(), new PlanSettings("pre-",
                        Map.of("dev.lok8s.test", "x"), SpecBuilder.PROJECT_DIR)))) {
            assertThat(plan.hash()).as("%s", plan.project()).isEqualTo(ReflectiveRendering.hash(plan));
        }
    }

    /** Every record component in declaration order, with PlanHash's encoding. */
    private static final class ReflectiveRendering {

        /** What PlanHash leaves out on purpose (its javadoc says why). */
        private static final Set<String> NOT_HASHED = Set.of("RegistryPlan.hash", "PlannedNetwork.dynamicRange");
        /** What PlanHash renders only when it has a value (its javadoc says why). */
        private static final Set<String> ONLY_WHEN_SET = Set.of("PlannedRegistry.hostPort");

        private final StringBuilder out = new StringBuilder();

        static String hash(RegistryPlan plan) {
            ReflectiveRendering r = new ReflectiveRendering();
            r.components(plan);
            return Sha256.hex(r.out.toString());
        }

        private void value(String key, Object value) {
            switch (value) {
                case null -> field(key, null);
                case String s -> field(key, s);
                case Integer i -> field(key, i.toString());
                case Boolean b -> field(key, b.toString());
                case Role role -> field(key, role.label());
                case Scope scope -> field(key, scope.label());
                case StepKind kind -> field(key, kind.id());
                case List<?> list -> {
                    count(key, list.size());
                    list.forEach(element -> {
                        if (element instanceof Record r) {
                            components(r);
                        } else {
                            value("-", element);
                        }
                    });
                }
                case Map<?, ?> map -> {
                    count(key, map.size());
                    map.forEach((k, v) -> {
                        field("k", (String) k);
                        value("v", v);
                    });
                }
                case Record r -> {
                    count(key, 1);
                    components(r);
                }
                default -> throw new IllegalArgumentException("no canonical form for " + value.getClass() + " (" + key + ")");
            }
        }

        private void components(Record record) {
            for (RecordComponent component : record.getClass().getRecordComponents()) {
                String name = record.getClass().getSimpleName() + "." + component.getName();
                if (!NOT_HASHED.contains(name)) {
                    try {
                        Object value = component.getAccessor().invoke(record);
                        if (value == null && ONLY_WHEN_SET.contains(name)) {
                            continue;
                        }
                        value(component.getName(), value);
                    } catch (ReflectiveOperationException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
        }

        private void field(String key, String value) {
            out.append(key).append(value == null ? "~\n" : "=" + value.length() + ":" + value + "\n");
        }

        private void count(String key, int size) {
            out.append(key).append('#').append(size).append('\n');
        }
    }
}
