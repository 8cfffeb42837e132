package dev.lok8s.lo.events;

import java.util.UUID;

/** A run was refused before it changed anything (invalid input, a precondition such as a subnet mismatch). */
public record RunRejected(UUID runId, String domain, String project, String command, String reason) implements LoEvent {
}
