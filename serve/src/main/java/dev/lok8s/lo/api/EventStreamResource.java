package dev.lok8s.lo.api;

import dev.lok8s.lo.query.EventView;
import dev.lok8s.lo.config.LoConfig;
import dev.lok8s.lo.store.EventStore;
import dev.lok8s.lo.store.StoredEvent;
import io.quarkus.runtime.ShutdownEvent;
import io.vertx.core.http.HttpServerResponse;
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
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Server-sent events: every event appended after the client connected (or after the position it
 * resumes from), as {@code id: <position>}, {@code event: <type>}, {@code data: <EventView JSON>}.
 * Other processes append to the same store, so each subscriber polls the store's head position
 * rather than waiting for an in-process signal.
 * <p>
 * Slow clients cannot grow the server: a subscriber reads the next batch of events only once the
 * previous batch was written to its connection, and a batch is bounded by bytes ({@link #BATCH_BYTES})
 * as well as by count, so at most one batch of about a megabyte per client is held in memory however
 * large the events; it stops as soon as its connection is gone, and is disconnected when a batch stays
 * unwritten for {@code lo.serve.stream.stall-timeout}. Disconnecting closes the connection itself, so
 * what was queued for a client that never read is released with it. The number of subscribers and the length of a replay are
 * capped ({@code lo.serve.stream.max-subscribers}, {@code lo.serve.stream.max-replay}). Reading and
 * serialising happen on the stream's own threads, never on the HTTP event loop.
 */
@Path("/api/events/stream")
@Singleton
@Tag(name = "events", description = "Live stream of new events")
public class EventStreamResource {

    static final Duration POLL = Duration.ofMillis(250);
    static final Duration KEEP_ALIVE = Duration.ofSeconds(15);
    /** Events read and written per step at most. */
    static final int BATCH = 200;
    /**
     * Bytes of stored events read and written per step (at least one event): what a subscriber holds
     * in memory at most. Events may be up to a megabyte each; 200 of them per client would not do.
     */
    static final long BATCH_BYTES = 1024 * 1024;
    static final int RETRY_AFTER_SECONDS = 10;

    private static final Logger LOG = Logger.getLogger(EventStreamResource.class);

    @Inject
    EventStore store;

    @Inject
    LoConfig config;

    private final Set<Subscriber> subscribers = ConcurrentHashMap.newKeySet();
    private volatile ScheduledExecutorService timer;

    /** More stream clients than {@code lo.serve.stream.max-subscribers}: answered 503 with Retry-After. */
    public static final class TooManyStreamsException extends RuntimeException {
        public TooManyStreamsException(int max) {
            super("the server already streams to " + max + " clients (lo.serve.stream.max-subscribers);"
                    + " try again later, or poll /api/history");
        }
    }

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Operation(summary = "Events appended from now on (or after Last-Event-ID / ?after=POSITION), as server-sent events")
    public void stream(@Context SseEventSink sink, @Context Sse sse, @Context UriInfo uri,
                       @Context HttpServerResponse response,
                       @Parameter(description = "resume after this position (the last id received)")
                       @HeaderParam("Last-Event-ID") String lastEventId,
                       @Parameter(description = "start after this position; 0 replays the whole log (up to lo.serve.stream.max-replay events)")
                       @QueryParam("after") String after) {
        Params.only(uri, "after");
        String parameter = "after";
        Long from = Params.nonNegative("after", after);
        if (from == null) {
            parameter = "Last-Event-ID";
            from = Params.nonNegative("Last-Event-ID", Params.text(lastEventId));
        }
        long head = store.headPosition();
        long maxReplay = config.serve().stream().maxReplay();
        if (from != null && head - from > maxReplay) {
            throw new BadParameterException(parameter, "replaying the " + (head - from) + " events after position "
                    + from + " exceeds the limit of " + maxReplay + " (lo.serve.stream.max-replay): page through"
                    + " /api/history (before=) for events up to position " + head + ", then follow the stream with"
                    + " after=" + head);
        }
        long start = from != null ? from : head;
        Subscriber s = new Subscriber(sink, sse, response, start);
        int max = config.serve().stream().maxSubscribers();
        synchronized (subscribers) {
            if (subscribers.size() >= max) {
                throw new TooManyStreamsException(max);
            }
            subscribers.add(s);
        }
        // the comment flushes the response headers, so the client knows it is connected from here on
        try {
            sink.send(sse.newEventBuilder().comment("following the log after position " + start).build());
        } catch (IllegalStateException gone) {
            s.close();
            return;
        }
        s.task = timer().scheduleWithFixedDelay(s::step, POLL.toMillis(), POLL.toMillis(), TimeUnit.MILLISECONDS);
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
        final HttpServerResponse response;
        /** Set while a batch is on its way to the client; the next one waits for it. */
        final AtomicBoolean writing = new AtomicBoolean();
        volatile long position;
        volatile long lastSent = System.nanoTime();
        volatile long writingSince;
        volatile boolean backlog;
        volatile boolean closed;
        volatile ScheduledFuture<?> task;

        Subscriber(SseEventSink sink, Sse sse, HttpServerResponse response, long position) {
            this.sink = sink;
            this.sse = sse;
            this.response = response;
            this.position = position;
        }

        /** One step: on a timer tick, or right after a batch was written while more events wait. */
        void step() {
            if (closed) {
                return;
            }
            if (sink.isClosed()) {
                close();
                return;
            }
            if (!writing.compareAndSet(false, true)) {
                if (System.nanoTime() - writingSince > config.serve().stream().stallTimeout().toNanos()) {
                    LOG.infof("event stream: disconnecting a client that accepted no events for %s",
                            config.serve().stream().stallTimeout());
                    close();
                }
                return;
            }
            writingSince = System.nanoTime();
            CompletionStage<?> last = null;
            try {
                if (store.headPosition() > position) {
                    List<StoredEvent> events = store.readAll(position + 1, BATCH, BATCH_BYTES);
                    for (StoredEvent e : events) {
                        last = sink.send(sse.newEventBuilder().id(Long.toString(e.position())).name(e.eventType())
                                .mediaType(MediaType.APPLICATION_JSON_TYPE).data(EventView.class, EventView.of(e))
                                .build());
                        position = e.position();
                    }
                    backlog = !events.isEmpty() && store.headPosition() > position;
                }
                if (last == null && System.nanoTime() - lastSent > KEEP_ALIVE.toNanos()) {
                    last = sink.send(sse.newEventBuilder().comment("keep-alive").build());
                }
            } catch (IllegalStateException gone) {
                // the sink closed under us: the client left
                close();
            } catch (RuntimeException e) {
                // a store hiccup: try again on the next tick
                LOG.debug("event stream poll failed: " + e.getMessage());
            }
            if (last == null) {
                writing.set(false);
                return;
            }
            lastSent = System.nanoTime();
            // the write completes once the bytes are in the socket: a client that does not read holds it back
            last.whenComplete((ok, failure) -> written(failure));
        }

        private void written(Throwable failure) {
            if (failure != null) {
                close();
                return;
            }
            writing.set(false);
            if (backlog && !closed) {
                try {
                    timer().execute(this::step);
                } catch (RejectedExecutionException shuttingDown) {
                    close();
                }
            }
        }

        void close() {
            closed = true;
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
            // Ending the response only queues its last chunk behind what a client that does not read
            // never took; closing the connection drops that queue, so nothing stays held for it.
            try {
                if (!response.closed()) {
                    response.close();
                }
            } catch (RuntimeException ignored) {
                // already closed
            }
        }
    }
}
