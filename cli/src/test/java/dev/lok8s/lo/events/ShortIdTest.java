package dev.lok8s.lo.events;

import dev.lok8s.lo.plan.Role;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class ShortIdTest {

    @Test
    void runAndMachineIdsAreCutToEightCharacters() {
        assertThat(ShortId.of(UUID.fromString("1a2b3c4d-1111-4222-8333-444455556666"))).isEqualTo("1a2b3c4d");
        assertThat(ShortId.of("bbbbbbbb-0000-4000-8000-000000000000")).isEqualTo("bbbbbbbb");
        assertThat(ShortId.of("abc")).as("shorter text is kept").isEqualTo("abc");
    }

    @Test
    void aRegistryStartedCarriesItsRoleAsTheEnumAndReadsBackFromItsLabel() {
        RegistryStarted started = new RegistryStarted("d", "p", "c", Role.CACHE, "n", "10.0.0.2", "img", "h");
        String json = EventCodec.encode(started);
        assertThat(json).contains("\"role\":\"cache\"");
        assertThat(EventCodec.decode("RegistryStarted", 1, "d", json)).isEqualTo(started);
        assertThat(((RegistryStarted) EventCodec.decode("RegistryStarted", 1, "d", json.replace("cache", "gpu"))).role())
                .as("a role written by a newer lo reads as null").isNull();
        assertThat(EventSummary.of(started)).isEqualTo("c cache n 10.0.0.2");
    }
}
