package dev.lok8s.lo.events;

/** lo removed a Docker network. */
public record NetworkRemoved(String domain, String project, String network, NetworkScope scope) implements LoEvent {
}
