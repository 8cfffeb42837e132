package dev.lok8s.lo.events;

/** A kind node was connected to a network (the shared registry network). */
public record NodeConnected(String domain, String project, String node, String network, String ip) implements LoEvent {
}
