package dev.lok8s.lo.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Payload JSON for events: the type name is the record's simple name (stored as
 * {@code event_type}), each type has a schema version (stored as {@code schema_version}).
 * Reading is lenient so that payloads written by an older {@code lo} still load: a missing
 * field reads as null (0 / false for primitives), an unknown field is ignored, an unknown enum
 * constant reads as null. Bump a type's version when its shape changes in a way a reader must
 * know about, and convert old shapes in {@link #decode}.
 */
public final class EventCodec {

    /** Every appendable type. A test checks this against the sealed interface's permitted subclasses. */
    public static final List<Class<? extends LoEvent>> TYPES = List.of(
            RunStarted.class, RunResumed.class, RunCompleted.class, RunFailed.class, RunRejected.class,
            StepCompleted.class, LeaseTakenOver.class,
            NetworkCreated.class, NetworkAdopted.class, NetworkRemoved.class,
            RegistryStarted.class, MirrorStarted.class, RegistryStopped.class, RegistryRemoved.class,
            CertIssued.class, CertsDirWritten.class,
            ClusterCreated.class, ClusterDeleted.class, NodeConnected.class, NodeDisconnected.class,
            SubnetMismatchDetected.class, ImageWarmed.class, ClusterRegistriesPublished.class,
            MirrorLogRead.class, ImagePruned.class, CachePruned.class);

    private static final Map<String, Class<? extends LoEvent>> BY_NAME = TYPES.stream()
            .collect(Collectors.toUnmodifiableMap(Class::getSimpleName, Function.identity()));

    private static final ObjectMapper JSON = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.READ_UNKNOWN_ENUM_VALUES_AS_NULL)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .build();

    private EventCodec() {
    }

    public static String typeName(LoEvent event) {
        return event instanceof UnrecognizedEvent u ? u.type() : event.getClass().getSimpleName();
    }

    /** The schema version written for new events of this type. All types are at their first shape. */
    public static int schemaVersion(LoEvent event) {
        return event instanceof UnrecognizedEvent u ? u.schemaVersion() : 1;
    }

    public static String encode(LoEvent event) {
        if (event instanceof UnrecognizedEvent u) {
            throw new IllegalArgumentException("cannot append an event of unknown type " + u.type());
        }
        try {
            return JSON.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot encode " + typeName(event) + ": " + e.getMessage(), e);
        }
    }

    /** Decodes a stored payload; a type this lo does not know becomes an {@link UnrecognizedEvent}. */
    public static LoEvent decode(String type, int schemaVersion, String domain, String json) {
        Class<? extends LoEvent> cls = BY_NAME.get(type);
        if (cls == null) {
            return new UnrecognizedEvent(type, schemaVersion, domain, json);
        }
        try {
            return JSON.readValue(json, cls);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored " + type + " v" + schemaVersion + " is unreadable: "
                    + e.getOriginalMessage(), e);
        }
    }

    /** The payload as a JSON tree, for output that embeds it. */
    public static JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable payload: " + e.getOriginalMessage(), e);
        }
    }
}
