package dev.lok8s.lo.projection;

import dev.lok8s.lo.events.MirrorStarted;
import dev.lok8s.lo.events.RegistryStarted;
import dev.lok8s.lo.plan.Role;
import dev.lok8s.lo.plan.Scope;
import dev.lok8s.lo.projection.RegistryLog.RecordedRegistry;
import dev.lok8s.lo.store.EventStore;
import dev.lok8s.lo.store.ExpectedVersion;
import dev.lok8s.lo.store.StoreEngine;
import dev.lok8s.lo.store.TestStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The registries read model keeps the host port a RegistryStarted records (migration V16_1, on both
 * engines), so status and the API show the push address from the log alone.
 */
@ParameterizedClass
@EnumSource(StoreEngine.class)
class RegistryHostPortProjectionTest {

    @Parameter
    StoreEngine engine;

    TestStore temp;
    EventStore store;

    @BeforeEach
    void open() {
        temp = engine.open();
        store = temp.eventStore();
    }

    @AfterEach
    void close() throws Exception {
        temp.close();
    }

    RecordedRegistry recorded(String container) {
        return ReadModels.of(store).registries().recordedRegistries().stream()
                .filter(r -> r.container().equals(container)).findFirst().orElseThrow();
    }

    @Test
    void theHostPortIsKeptAndAnEarlierRegistryOrAMirrorHasNone() {
        store.append("project-p", ExpectedVersion.ANY, List.of(
                new RegistryStarted("p.test", "p", "p-registry-build", Role.BUILD, "p", "10.213.90.101", "img", "h"),
                new MirrorStarted("p.test", "p", "lok8s-registry-io-docker", "io-docker", Scope.SHARED,
                        "lok8s-registries", "10.213.91.2", "img", "h", "https://registry-1.docker.io")), null);
        assertThat(recorded("p-registry-build").hostPort()).as("started before host ports").isNull();
        assertThat(recorded("lok8s-registry-io-docker").hostPort()).as("a mirror").isNull();

        store.append("project-p", ExpectedVersion.ANY, List.of(
                new RegistryStarted("p.test", "p", "p-registry-build", Role.BUILD, "p", "10.213.90.101", "img", "h",
                        20901)), null);
        assertThat(recorded("p-registry-build").hostPort()).as("recreated with its port").isEqualTo(20901);
    }
}
