package dev.lok8s.lo.api;

import io.vertx.core.http.HttpServerResponse;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test-only endpoint whose work spins (busy, checking only whether it was interrupted) for
 * {@code ms} milliseconds through {@link WhileConnected}, as a usage report does over slow registries.
 */
@Path("/test/slow-work")
public class SlowWorkResource {

    static final AtomicInteger RUNNING = new AtomicInteger();
    static final AtomicInteger CANCELLED = new AtomicInteger();
    static volatile CountDownLatch started = new CountDownLatch(1);

    @GET
    @Produces(MediaType.TEXT_PLAIN)
    public String work(@Context HttpServerResponse response, @QueryParam("ms") long ms) {
        return WhileConnected.call(response, "slow-work", () -> {
            RUNNING.incrementAndGet();
            started.countDown();
            try {
                long until = System.nanoTime() + ms * 1_000_000;
                long spins = 0;
                while (System.nanoTime() < until) {
                    if (Thread.currentThread().isInterrupted()) {
                        CANCELLED.incrementAndGet();
                        return "cancelled";
                    }
                    spins++;
                }
                return "done after " + spins + " spins";
            } finally {
                RUNNING.decrementAndGet();
            }
        });
    }
}
