package dev.lok8s.lo.retry;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The one retry loop on a fake clock: every pause advances it, nothing sleeps. */
class RetryTest {

    /** A clock that only the pauses move, recording them. */
    static final class FakeTime {
        long now = 1_000_000_000L;
        final List<Duration> pauses = new ArrayList<>();

        Retry retry(double random) {
            return new Retry(() -> now, pause -> {
                pauses.add(pause);
                now += pause.toNanos();
            }, () -> random);
        }
    }

    @Test
    void aFailureTheCallerCallsTransientIsTriedAgainWithDoublingPausesUpToTheMaximum() throws Exception {
        FakeTime time = new FakeTime();
        AtomicInteger calls = new AtomicInteger();
        String value = time.retry(0).call(new Backoff(10, Duration.ofMillis(20), Duration.ofMillis(100),
                Duration.ofSeconds(60), false), IOException.class, () -> {
            if (calls.incrementAndGet() < 5) {
                throw new IOException("busy");
            }
            return "done";
        }, e -> true);
        assertThat(value).isEqualTo("done");
        assertThat(time.pauses).containsExactly(Duration.ofMillis(20), Duration.ofMillis(40), Duration.ofMillis(80),
                Duration.ofMillis(100));
    }

    @Test
    void attemptsAreBounded() {
        FakeTime time = new FakeTime();
        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(() -> time.retry(0).call(Backoff.fixed(Duration.ofMillis(50), 3), IOException.class, () -> {
            throw new IOException("attempt " + calls.incrementAndGet());
        }, e -> true)).isInstanceOf(IOException.class).hasMessage("attempt 3");
        assertThat(time.pauses).hasSize(2);
    }

    @Test
    void noAttemptStartsWhenItsPauseWouldEndPastTheDeadline() {
        FakeTime time = new FakeTime();
        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(() -> time.retry(0).call(Backoff.fixed(Duration.ofMillis(300), Duration.ofSeconds(1)),
                IOException.class, () -> {
                    calls.incrementAndGet();
                    time.now += Duration.ofMillis(100).toNanos();  // each attempt takes 100 ms
                    throw new IOException("down");
                }, e -> true)).isInstanceOf(IOException.class);
        // 100 + 300 + 100 + 300 + 100 = 900 ms; a third pause would end at 1,300 ms
        assertThat(calls).hasValue(3);
        assertThat(time.now - 1_000_000_000L).isEqualTo(Duration.ofMillis(900).toNanos());
    }

    @Test
    void aFailureTheCallerDoesNotRetryAndAnyOtherExceptionEndAtOnce() {
        FakeTime time = new FakeTime();
        assertThatThrownBy(() -> time.retry(0).call(Backoff.fixed(Duration.ofMillis(10), 5), IOException.class,
                () -> {
                    throw new IOException("disk full");
                }, e -> !e.getMessage().equals("disk full"))).hasMessage("disk full");
        assertThatThrownBy(() -> time.retry(0).call(Backoff.fixed(Duration.ofMillis(10), 5), IOException.class,
                () -> {
                    throw new IllegalStateException("bug");
                }, e -> true)).isInstanceOf(IllegalStateException.class);
        assertThat(time.pauses).isEmpty();
    }

    @Test
    void jitterStretchesAPauseByARandomPartOfItself() throws Exception {
        FakeTime time = new FakeTime();
        AtomicInteger calls = new AtomicInteger();
        time.retry(0.5).call(Backoff.exponential(5, Duration.ofMillis(20), Duration.ofSeconds(1), Duration.ofSeconds(10)),
                IOException.class, () -> {
                    if (calls.incrementAndGet() < 3) {
                        throw new IOException("busy");
                    }
                    return null;
                }, e -> true);
        assertThat(time.pauses).containsExactly(Duration.ofMillis(30), Duration.ofMillis(60));
    }

    @Test
    void aPollReturnsTheFirstLookThatIsDoneOrTheLastOneWhenTheBackoffRunsOut() throws Exception {
        FakeTime time = new FakeTime();
        AtomicInteger looks = new AtomicInteger();
        assertThat(time.retry(0).poll(Backoff.fixed(Duration.ofMillis(50), 40), looks::incrementAndGet, n -> n == 4))
                .isEqualTo(4);
        assertThat(time.retry(0).poll(Backoff.fixed(Duration.ofMillis(50), Duration.ofMillis(200)),
                looks::incrementAndGet, n -> false)).as("looks at 0, 50, 100, 150 ms; a pause to 200 ms is past the deadline")
                .isEqualTo(8);
        assertThat(time.retry(0).poll(Backoff.fixed(Duration.ofMillis(50), Duration.ZERO), () -> "once", s -> false))
                .as("no deadline left: one look, no pause").isEqualTo("once");
    }

    @Test
    void anInterruptedPauseEndsTheLoop() {
        Retry interrupted = new Retry(System::nanoTime, pause -> {
            throw new InterruptedException();
        }, () -> 0);
        assertThatThrownBy(() -> interrupted.poll(Backoff.fixed(Duration.ofMillis(50), 10), () -> 1, n -> false))
                .isInstanceOf(InterruptedException.class);
        assertThatThrownBy(() -> Retry.SYSTEM.poll(Backoff.fixed(Duration.ofSeconds(30), 10), () -> {
            Thread.currentThread().interrupt();
            return 1;
        }, n -> false)).as("the real sleeper").isInstanceOf(InterruptedException.class);
        assertThat(Thread.interrupted()).as("the interrupt was consumed by the pause").isFalse();
    }
}
