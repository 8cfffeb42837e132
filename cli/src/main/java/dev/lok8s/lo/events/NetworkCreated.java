package dev.lok8s.lo.events;

import dev.lok8s.lo.plan.Scope;

/** lo created a Docker network (the shared registry network or a project network). */
public record NetworkCreated(String domain, String project, String network, String cidr, Scope scope) implements LoEvent {
}
