package dev.lok8s.lo.events;

/** A run found the shared network recorded with another subnet than its spec asks for. */
public record SubnetMismatchDetected(String domain, String project, String network, String existingCidr, String expectedCidr, String otherProject) implements LoEvent {
}
