package dev.lok8s.lo.events;

import dev.lok8s.lo.plan.Scope;

/** A Docker network with lo's labels already existed and was taken over as is. */
public record NetworkAdopted(String domain, String project, String network, String cidr, Scope scope) implements LoEvent {
}
