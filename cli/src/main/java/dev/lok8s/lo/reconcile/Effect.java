package dev.lok8s.lo.reconcile;

import dev.lok8s.lo.events.LoEvent;

/** An event a step produced, and the stream it belongs to (project, shared network or run). */
public record Effect(String streamId, LoEvent event) {
}
