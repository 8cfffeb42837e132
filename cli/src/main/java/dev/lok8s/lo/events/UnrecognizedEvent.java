package dev.lok8s.lo.events;

/** An event of a type this version of lo does not know (written by a newer lo); kept as raw JSON, never appended. */
public record UnrecognizedEvent(String type, int schemaVersion, String domain, String json) implements LoEvent {
}
