package dev.lok8s.lo.cache;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A response read whole into memory, but never more than a byte cap and never for longer than a
 * deadline that covers the headers and the body alike: a registry that streams without end, declares
 * a huge length or trickles a byte at a time is cut off at the bound, and the exchange is cancelled
 * (its connection closed) rather than left to run.
 */
final class BoundedBody {

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

    private BoundedBody() {
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
}
