package dev.lok8s.lo.events;

import dev.lok8s.lo.plan.Scope;

/** lo removed a Docker network. */
public record NetworkRemoved(String domain, String project, String network, Scope scope) implements LoEvent {
}
