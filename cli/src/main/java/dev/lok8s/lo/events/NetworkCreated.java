package dev.lok8s.lo.events;

/** lo created a Docker network (the shared registry network or a project network). */
public record NetworkCreated(String domain, String project, String network, String cidr, NetworkScope scope) implements LoEvent {
}
