package dev.lok8s.lo.run;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A value started ahead of its use: made on its own thread, handed over once, failures as with a value made on use. */
class AheadTest {

    @Test
    void startedItIsMadeOnAThreadOfItsOwnBeforeAnyoneAsks() throws Exception {
        CountDownLatch made = new CountDownLatch(1);
        AtomicReference<Thread> maker = new AtomicReference<>();
        AtomicInteger times = new AtomicInteger();
        Ahead<String> value = new Ahead<>(() -> {
            maker.set(Thread.currentThread());
            times.incrementAndGet();
            made.countDown();
            return "answer";
        }, "testing");

        value.start();
        value.start();
        assertThat(made.await(10, TimeUnit.SECONDS)).as("made before it is asked for").isTrue();
        assertThat(value.get()).isEqualTo("answer");
        assertThat(value.get()).isEqualTo("answer");
        assertThat(maker.get()).as("made on another thread").isNotSameAs(Thread.currentThread());
        assertThat(times).as("made once").hasValue(1);
    }

    @Test
    void notStartedItIsMadeByTheFirstUse() {
        AtomicReference<Thread> maker = new AtomicReference<>();
        Ahead<String> value = new Ahead<>(() -> {
            maker.set(Thread.currentThread());
            return "answer";
        }, "testing");

        assertThat(value.get()).isEqualTo("answer");
        assertThat(maker.get()).isSameAs(Thread.currentThread());
    }

    @Test
    void aFailureReachesTheFirstUseAsThrownAndIsNotKept() {
        AtomicInteger times = new AtomicInteger();
        IllegalStateException failure = new IllegalStateException("cannot look up the upstream of m1: no key");
        Ahead<String> value = new Ahead<>(() -> {
            if (times.incrementAndGet() == 1) {
                throw failure;
            }
            return "answer";
        }, "testing");

        value.start();
        assertThatThrownBy(value::get).as("the exception itself, not one wrapping it").isSameAs(failure);
        assertThat(value.get()).as("the next use makes it again").isEqualTo("answer");
        assertThat(times).hasValue(2);
    }

    @Test
    void cancelledItsThreadIsInterruptedAndAUseMakesItAnew() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        AtomicInteger times = new AtomicInteger();
        Ahead<String> value = new Ahead<>(() -> {
            if (times.incrementAndGet() > 1) {
                return "again";
            }
            running.countDown();
            try {
                Thread.sleep(60_000);
                return "late";
            } catch (InterruptedException e) {
                interrupted.countDown();
                throw new IllegalStateException("stopped", e);
            }
        }, "testing");

        value.start();
        assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
        value.cancel();
        assertThat(interrupted.await(10, TimeUnit.SECONDS)).as("its thread was interrupted").isTrue();
        assertThat(value.get()).isEqualTo("again");
    }
}
