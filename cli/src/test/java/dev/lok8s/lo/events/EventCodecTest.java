package dev.lok8s.lo.events;

import dev.lok8s.lo.plan.Scope;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventCodecTest {

    @Test
    void everyPermittedEventTypeIsRegisteredExceptTheUnrecognizedPlaceholder() {
        List<String> permitted = Arrays.stream(LoEvent.class.getPermittedSubclasses())
                .filter(c -> c != UnrecognizedEvent.class).map(Class::getName).toList();
        assertThat(EventCodec.TYPES.stream().map(Class::getName).toList()).as("EventCodec.TYPES")
                .containsExactlyInAnyOrderElementsOf(permitted);
    }

    @Test
    void eventsRoundTripThroughJson() {
        UUID run = UUID.randomUUID();
        List<LoEvent> samples = List.of(
                new RunStarted(run, "provision", "lok8s.dev", "lok8s", "abc", 42, "box"),
                new StepCompleted(run, "lok8s.dev", "lok8s", "network", StepOutcome.adopted, 7),
                new CertIssued("lok8s.dev", "lok8s", List.of("10.125.125.101", "lok8s.local"), "sha256:00",
                        Instant.parse("2027-01-01T00:00:00Z")),
                new MirrorStarted("lok8s.dev", "lok8s", "lok8s-registry-io-docker", "io-docker", Scope.SHARED,
                        "lok8s-registries", "10.125.200.2", "registry:2.8.3", "h", "https://registry-1.docker.io"));
        for (LoEvent e : samples) {
            String json = EventCodec.encode(e);
            assertThat(EventCodec.decode(EventCodec.typeName(e), EventCodec.schemaVersion(e), e.domain(), json))
                    .as(json).isEqualTo(e);
        }
    }

    @Test
    void aPayloadOfAnOlderShapeStillReads() {
        // RunStarted as an early lo wrote it: no planHash/pid/host, a field since dropped, an outcome since renamed
        String stored = """
                {"runId":"1a2b3c4d-0000-4000-8000-000000000001","command":"provision","domain":"lok8s.dev",
                 "project":"lok8s","verbose":true}""";
        LoEvent e = EventCodec.decode("RunStarted", 1, "lok8s.dev", stored);
        assertThat(e).isEqualTo(new RunStarted(UUID.fromString("1a2b3c4d-0000-4000-8000-000000000001"),
                "provision", "lok8s.dev", "lok8s", null, 0, null));

        LoEvent step = EventCodec.decode("StepCompleted", 1, null,
                "{\"stepId\":\"mirror\",\"outcome\":\"recreated\"}");
        assertThat(step).isEqualTo(new StepCompleted(null, null, null, "mirror", null, 0));
    }

    @Test
    void aRegistryStartedWrittenBeforeHostPortsReadsWithoutOneAndOneWithAPortKeepsIt() {
        // as lo wrote it before build and cache were published on the host
        String stored = """
                {"domain":"lok8s.dev","project":"lok8s","container":"lok8s-registry-build","role":"build",
                 "network":"lok8s","ip":"10.125.125.101","image":"registry:2.8.3","configHash":"h"}""";
        RegistryStarted old = (RegistryStarted) EventCodec.decode("RegistryStarted", 1, "lok8s.dev", stored);
        assertThat(old).isEqualTo(new RegistryStarted("lok8s.dev", "lok8s", "lok8s-registry-build",
                dev.lok8s.lo.plan.Role.BUILD, "lok8s", "10.125.125.101", "registry:2.8.3", "h"));
        assertThat(old.hostPort()).isNull();
        assertThat(EventSummary.of(old)).doesNotContain("push");

        RegistryStarted published = new RegistryStarted("lok8s.dev", "lok8s", "lok8s-registry-build",
                dev.lok8s.lo.plan.Role.BUILD, "lok8s", "10.125.125.101", "registry:2.8.3", "h", 21251);
        String json = EventCodec.encode(published);
        assertThat(json).contains("\"hostPort\":21251");
        assertThat(EventCodec.decode("RegistryStarted", EventCodec.schemaVersion(published), "lok8s.dev", json))
                .isEqualTo(published);
        assertThat(EventSummary.of(published)).endsWith("10.125.125.101 push localhost:21251");
    }

    @Test
    void aTypeFromANewerLoReadsAsUnrecognizedAndCannotBeAppended() {
        LoEvent e = EventCodec.decode("LeaseTaken", 3, "lok8s.dev", "{\"holder\":\"x\"}");
        assertThat(e).isEqualTo(new UnrecognizedEvent("LeaseTaken", 3, "lok8s.dev", "{\"holder\":\"x\"}"));
        assertThat(EventSummary.of(e)).contains("LeaseTaken");
        assertThatThrownBy(() -> EventCodec.encode(e)).isInstanceOf(IllegalArgumentException.class);
    }
}
