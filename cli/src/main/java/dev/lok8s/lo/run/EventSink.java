package dev.lok8s.lo.run;

import dev.lok8s.lo.events.LoEvent;

import java.util.List;

/** Where a run appends its events: the event store in production, a list in unit tests. */
@FunctionalInterface
public interface EventSink {

    /** Appends the events to the stream, in one transaction, after whatever the stream holds. */
    void append(String streamId, List<LoEvent> events);
}
