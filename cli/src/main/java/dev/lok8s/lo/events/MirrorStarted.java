package dev.lok8s.lo.events;

import dev.lok8s.lo.plan.Scope;

/** A pull-through mirror container runs, on the shared network or the project network. */
public record MirrorStarted(String domain, String project, String container, String mirror, Scope scope, String network, String ip, String image, String configHash, String upstream) implements LoEvent {
}
