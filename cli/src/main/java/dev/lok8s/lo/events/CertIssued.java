package dev.lok8s.lo.events;

import java.time.Instant;
import java.util.List;

/** A registry certificate was minted for the given subject alternative names. */
public record CertIssued(String domain, String project, List<String> sans, String fingerprint, Instant notAfter) implements LoEvent {
}
