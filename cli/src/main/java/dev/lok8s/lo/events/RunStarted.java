package dev.lok8s.lo.events;

import java.util.UUID;

/** A run of a command began; the first event of stream {@code run-<runId>}. */
public record RunStarted(UUID runId, String command, String domain, String project, String planHash, long pid, String host) implements LoEvent {
}
