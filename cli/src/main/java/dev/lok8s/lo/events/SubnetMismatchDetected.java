package dev.lok8s.lo.events;

/**
 * A provision was refused, before touching Docker, for a subnet the log records as taken: the shared
 * network with another subnet ({@code otherProject} usually null), or the project subnet used by
 * {@code otherProject}. Opens an open mismatch in the read models (docs/events.md).
 */
public record SubnetMismatchDetected(String domain, String project, String network, String existingCidr, String expectedCidr, String otherProject) implements LoEvent {
}
