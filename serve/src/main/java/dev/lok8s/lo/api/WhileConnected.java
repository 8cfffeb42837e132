package dev.lok8s.lo.api;

import io.vertx.core.http.HttpServerResponse;
import jakarta.ws.rs.WebApplicationException;
import org.jboss.logging.Logger;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs a long request's work only for as long as its client is there: the work runs on its own
 * thread, and when the connection closes before the answer is ready the work is cancelled
 * (interrupted) instead of running on for nobody. The work keeps its own deadline.
 */
final class WhileConnected {

    /** How often the connection is looked at while the work runs. */
    static final long CHECK_MILLIS = 200;

    private static final Logger LOG = Logger.getLogger(WhileConnected.class);

    /** The client went away before the answer was ready; nothing can be sent to it. */
    static final class ClientGoneException extends WebApplicationException {
        ClientGoneException() {
            super("the client closed the connection before the answer was ready", 499);
        }
    }

    private WhileConnected() {
    }

    static <T> T call(HttpServerResponse response, String what, Callable<T> work) {
        FutureTask<T> task = new FutureTask<>(work);
        Thread.ofVirtual().name("lo-" + what).start(task);
        try {
            while (true) {
                try {
                    return task.get(CHECK_MILLIS, TimeUnit.MILLISECONDS);
                } catch (TimeoutException notYet) {
                    if (response.closed()) {
                        task.cancel(true);
                        LOG.debugf("%s: the client went away; the work was cancelled", what);
                        throw new ClientGoneException();
                    }
                }
            }
        } catch (InterruptedException e) {
            task.cancel(true);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while computing " + what, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        }
    }
}
