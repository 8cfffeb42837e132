package dev.lok8s.lo.events;

/** A kind node was disconnected from a network. */
public record NodeDisconnected(String domain, String project, String node, String network) implements LoEvent {
}
