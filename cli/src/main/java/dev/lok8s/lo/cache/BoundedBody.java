package dev.lok8s.lo.cache;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongConsumer;

/**
 * A response body read from a peer lo does not trust (a registry, its upstream), bounded in bytes and
 * in time, so a registry that streams without end, declares a huge length or trickles a byte at a
 * time is cut off at the bound and its exchange closed rather than left to run. Two ways to read:
 * <ul>
 * <li>{@link #send}: a small answer (a catalog page, a tag list) read whole into memory, at most a
 * byte cap, headers and body within one deadline;</li>
 * <li>{@link #read}, {@link #head}, {@link #drain}: a body streamed from a response already received,
 * with a deadline for the body alone (the stream is closed under the reader when it passes); a blob is
 * read to exactly its declared size and never held whole. Their failures are
 * {@link LimitException}s whose messages are lo's own words and numbers, never the peer's bytes, so
 * they can be printed and recorded as they are.</li>
 * </ul>
 */
public final class BoundedBody {

    /** A body that broke a bound: longer or shorter than declared, or not complete in time. */
    public static final class LimitException extends IOException {
        LimitException(String message) {
            super(message);
        }
    }

    /**
     * When a body must be complete, and how to say so ({@code "30 s for the body"}).
     *
     * @param atNanos a {@link System#nanoTime()} instant
     */
    public record Deadline(long atNanos, String description) {

        /** {@code budget} from now. */
        public static Deadline in(Duration budget, String description) {
            return new Deadline(System.nanoTime() + Math.min(budget.toNanos(), Long.MAX_VALUE / 4), description);
        }

        /** The earlier of the two. */
        public Deadline orEarlier(Deadline other) {
            return other == null || atNanos - other.atNanos <= 0 ? this : other;
        }

        public boolean passed() {
            return System.nanoTime() - atNanos >= 0;
        }

        long remainingNanos() {
            return Math.max(0, atNanos - System.nanoTime());
        }
    }

    /** The answer went past the cap; carries how many bytes were read when it was cut. */
    static final class TooLarge extends IOException {
        TooLarge(long read) {
            super("more than " + read + " bytes");
        }
    }

    /** A bounded read stopped at its byte cap ({@code timedOut} false) or its deadline. */
    static final class Exceeded extends Exception {
        final boolean timedOut;

        Exceeded(boolean timedOut) {
            super(timedOut ? "deadline" : "byte cap", null, false, false);
            this.timedOut = timedOut;
        }
    }

    private static final int BUFFER = 256 * 1024;
    /** Report progress at most every this many bytes. */
    private static final long PROGRESS_STEP = 1024 * 1024;

    private static final ScheduledThreadPoolExecutor TIMER = timer();

    private static ScheduledThreadPoolExecutor timer() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "lo-body-deadline");
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }

    private BoundedBody() {
    }

    /**
     * The whole body, at most {@code max} bytes, complete before {@code deadline}.
     *
     * @param contentLength the response's Content-Length, or -1 when it has none
     */
    public static byte[] read(InputStream in, long contentLength, int max, Deadline deadline) throws IOException {
        if (contentLength > max) {
            throw new LimitException("declares " + contentLength + " bytes, more than the " + max + " allowed");
        }
        try (Guard guard = Guard.arm(in, deadline)) {
            byte[] body = new byte[(int) Math.min(max + 1L, contentLength >= 0 ? contentLength + 1 : 8192)];
            int total = 0;
            while (true) {
                if (total == body.length) {
                    if (total > max) {
                        break;
                    }
                    body = Arrays.copyOf(body, (int) Math.min(max + 1L, Math.max(body.length * 2L, 8192)));
                }
                int n;
                try {
                    n = in.read(body, total, body.length - total);
                } catch (IOException e) {
                    throw guard.fired() ? guard.late(total) : e;
                }
                if (n < 0) {
                    break;
                }
                total += n;
            }
            if (guard.fired()) {
                throw guard.late(total);
            }
            if (total > max) {
                throw new LimitException("is longer than the " + max + " bytes allowed");
            }
            if (contentLength >= 0 && total != contentLength) {
                throw new LimitException("ended after " + total + " of the " + contentLength
                        + " bytes its Content-Length declares");
            }
            return Arrays.copyOf(body, total);
        }
    }

    /**
     * The first {@code max} bytes of a body (all of it when shorter), read before {@code deadline}; the
     * rest is left unread. For what is only shown in part, such as the start of an error answer.
     */
    public static byte[] head(InputStream in, int max, Deadline deadline) throws IOException {
        try (Guard guard = Guard.arm(in, deadline)) {
            byte[] body;
            try {
                body = in.readNBytes(max);
            } catch (IOException e) {
                throw guard.fired() ? guard.late(0) : e;
            }
            if (guard.fired()) {
                throw guard.late(body.length);
            }
            return body;
        }
    }

    /**
     * Reads a body of exactly {@code size} bytes to its end and discards it; {@code progress} hears the
     * bytes read so far. Stops as soon as the body goes past {@code size}.
     *
     * @param contentLength the response's Content-Length, or -1 when it has none; when given it must be {@code size}
     * @return the number of bytes read ({@code size})
     */
    public static long drain(InputStream in, long contentLength, long size, Deadline deadline, LongConsumer progress)
            throws IOException {
        if (contentLength >= 0 && contentLength != size) {
            throw new LimitException("declares Content-Length " + contentLength + " where its manifest says "
                    + size + " bytes");
        }
        try (Guard guard = Guard.arm(in, deadline)) {
            byte[] buffer = new byte[(int) Math.min(BUFFER, size + 1)];
            long total = 0;
            long reported = 0;
            while (total <= size) {
                int n;
                try {
                    n = in.read(buffer, 0, (int) Math.min(buffer.length, size + 1 - total));
                } catch (IOException e) {
                    throw guard.fired() ? guard.late(total) : e;
                }
                if (n < 0) {
                    break;
                }
                total += n;
                if (total - reported >= PROGRESS_STEP) {
                    progress.accept(Math.min(total, size));
                    reported = total;
                }
            }
            if (guard.fired()) {
                throw guard.late(total);
            }
            if (total > size) {
                throw new LimitException("goes on past the " + size + " bytes its manifest declares");
            }
            if (total < size) {
                throw new LimitException("ended after " + total + " of the " + size + " bytes its manifest declares");
            }
            progress.accept(total);
            return total;
        }
    }

    /**
     * Sends {@code request} and reads its body, at most {@code maxBytes}, all within {@code deadline}.
     *
     * @throws Exceeded    the body was larger than {@code maxBytes}, or did not arrive whole in time
     * @throws IOException the exchange failed (connection refused, reset)
     */
    static HttpResponse<byte[]> send(HttpClient client, HttpRequest request, int maxBytes, Duration deadline)
            throws Exceeded, IOException, InterruptedException {
        CompletableFuture<HttpResponse<byte[]>> exchange = client.sendAsync(request, info -> new Capped(maxBytes));
        try {
            return exchange.get(deadline.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            exchange.cancel(true);
            throw new Exceeded(true);
        } catch (InterruptedException e) {
            exchange.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
                if (t instanceof TooLarge) {
                    throw new Exceeded(false);
                }
            }
            Throwable cause = e.getCause();
            throw cause instanceof IOException io ? io : new IOException(cause == null ? "failed" : cause.toString(), cause);
        }
    }

    static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    /** Collects the body, cancelling the subscription as soon as it passes the cap. */
    private static final class Capped implements HttpResponse.BodySubscriber<byte[]> {
        private final int max;
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final CompletableFuture<byte[]> result = new CompletableFuture<>();
        private Flow.Subscription subscription;

        Capped(int max) {
            this.max = max;
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(1);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            for (ByteBuffer b : buffers) {
                if ((long) bytes.size() + b.remaining() > max) {
                    subscription.cancel();
                    result.completeExceptionally(new TooLarge(max));
                    return;
                }
                byte[] chunk = new byte[b.remaining()];
                b.get(chunk);
                bytes.writeBytes(chunk);
            }
            subscription.request(1);
        }

        @Override
        public void onError(Throwable t) {
            result.completeExceptionally(t);
        }

        @Override
        public void onComplete() {
            result.complete(bytes.toByteArray());
        }
    }

    /** Closes the stream at the deadline; says whether it did. */
    private static final class Guard implements AutoCloseable {
        private final AtomicBoolean fired = new AtomicBoolean();
        private final Deadline deadline;
        private final ScheduledFuture<?> task;
        private final long start = System.nanoTime();

        private Guard(InputStream in, Deadline deadline) {
            this.deadline = deadline;
            this.task = TIMER.schedule(() -> {
                fired.set(true);
                try {
                    in.close();
                } catch (IOException ignored) {
                    // closing is how the reader is stopped; it reports the deadline, not this
                }
            }, deadline.remainingNanos(), TimeUnit.NANOSECONDS);
        }

        static Guard arm(InputStream in, Deadline deadline) {
            return new Guard(in, deadline);
        }

        boolean fired() {
            return fired.get();
        }

        LimitException late(long bytes) {
            return new LimitException("was not complete within " + deadline.description() + " (" + bytes
                    + " bytes in " + Math.round((System.nanoTime() - start) / 1e9) + " s)");
        }

        @Override
        public void close() {
            task.cancel(false);
        }
    }
}
