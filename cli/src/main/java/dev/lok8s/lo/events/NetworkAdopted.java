package dev.lok8s.lo.events;

/** A Docker network with lo's labels already existed and was taken over as is. */
public record NetworkAdopted(String domain, String project, String network, String cidr, NetworkScope scope) implements LoEvent {
}
