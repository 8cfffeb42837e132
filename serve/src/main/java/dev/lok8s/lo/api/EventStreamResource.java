package dev.lok8s.lo.api;

import dev.lok8s.lo.store.EventStore;
import dev.lok8s.lo.store.StoredEvent;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Server-sent events: every event appended after the client connected (or after the position it
 * resumes from), as {@code id: <position>}, {@code event: <type>}, {@code data: <EventView JSON>}.
 * Other processes append to the same store, so each subscriber polls the store's head position
 * rather than waiting for an in-process signal.
 */
@Path("/api/events/stream")
@Singleton
@Tag(name = "events", description = "Live stream of new events")
public class EventStreamResource {

    static final Duration POLL = Duration.ofMillis(250);
    static final Duration KEEP_ALIVE = Duration.ofSeconds(15);
    static final int BATCH = 500;

    private static final Logger LOG = Logger.getLogger(EventStreamResource.class);

    @Inject
    EventStore store;

    private final Set<Subscriber> subscribers = ConcurrentHashMap.newKeySet();
    private volatile ScheduledExecutorService timer;

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Operation(summary = "Events appended from now on (or after Last-Event-ID / ?after=POSITION), as server-sent events")
    public void stream(@Context SseEventSink sink, @Context Sse sse, @Context UriInfo uri,
                       @Parameter(description = "resume after this position (the last id received)")
                       @HeaderParam("Last-Event-ID") String lastEventId,
                       @Parameter(description = "start after this position; 0 replays the whole log")
                       @QueryParam("after") String after) {
        Params.only(uri, "after");
        Long from = Params.nonNegative("after", after);
        if (from == null) {
            from = Params.nonNegative("Last-Event-ID", Params.text(lastEventId));
        }
        long start = from != null ? from : store.headPosition();
        Subscriber s = new Subscriber(sink, sse, start);
        subscribers.add(s);
        // the comment flushes the response headers, so the client knows it is connected from here on
        s.send(sse.newEventBuilder().comment("following the log after position " + start).build());
        s.task = timer().scheduleWithFixedDelay(s::poll, POLL.toMillis(), POLL.toMillis(), TimeUnit.MILLISECONDS);
    }

    void close(@Observes ShutdownEvent ignored) {
        subscribers.forEach(Subscriber::close);
        ScheduledExecutorService t = timer;
        if (t != null) {
            t.shutdownNow();
        }
    }

    private synchronized ScheduledExecutorService timer() {
        if (timer == null) {
            timer = Executors.newScheduledThreadPool(2, Thread.ofPlatform().daemon().name("lo-sse-", 0).factory());
        }
        return timer;
    }

    private final class Subscriber {
        final SseEventSink sink;
        final Sse sse;
        volatile long position;
        volatile long lastSent = System.nanoTime();
        volatile ScheduledFuture<?> task;

        Subscriber(SseEventSink sink, Sse sse, long position) {
            this.sink = sink;
            this.sse = sse;
            this.position = position;
        }

        void poll() {
            try {
                if (sink.isClosed()) {
                    close();
                    return;
                }
                while (store.headPosition() > position) {
                    List<StoredEvent> events = store.readAll(position + 1, BATCH);
                    if (events.isEmpty()) {
                        break;
                    }
                    for (StoredEvent e : events) {
                        send(sse.newEventBuilder().id(Long.toString(e.position())).name(e.eventType())
                                .mediaType(MediaType.APPLICATION_JSON_TYPE).data(EventView.class, EventView.of(e)).build());
                        position = e.position();
                    }
                }
                if (System.nanoTime() - lastSent > KEEP_ALIVE.toNanos()) {
                    send(sse.newEventBuilder().comment("keep-alive").build());
                }
            } catch (RuntimeException e) {
                // a store hiccup: try again on the next tick; a dead client ends the subscription
                LOG.debug("event stream poll failed: " + e.getMessage());
            }
        }

        void send(jakarta.ws.rs.sse.OutboundSseEvent event) {
            lastSent = System.nanoTime();
            sink.send(event).whenComplete((ok, failure) -> {
                if (failure != null) {
                    close();
                }
            });
        }

        void close() {
            subscribers.remove(this);
            ScheduledFuture<?> t = task;
            if (t != null) {
                t.cancel(false);
            }
            try {
                sink.close();
            } catch (RuntimeException ignored) {
                // already closed by the client
            }
        }
    }
}
