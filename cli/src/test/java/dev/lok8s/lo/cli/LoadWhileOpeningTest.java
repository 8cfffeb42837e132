package dev.lok8s.lo.cli;

import dev.lok8s.lo.spec.SpecError;
import dev.lok8s.lo.spec.SpecInvalidException;
import dev.lok8s.lo.store.StoreException;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code lo provision} and {@code lo registry up} read the spec while the store opens; what fails is what failed
 * when the store was opened after the spec was read: the store, whatever the spec; else an invalid spec, recorded
 * as a rejected run; a project that cannot be found is reported once the store's opening has ended.
 */
class LoadWhileOpeningTest {

    static final SpecInvalidException INVALID = new SpecInvalidException(Path.of("clusters/a/cluster.lok8s.yaml"),
            new SpecError("spec.network.cidr", "is not a valid IPv4 subnet"));
    static final StoreException BROKEN = new StoreException("event store /s/lo.mv.db is empty (0 bytes)", null);

    final List<String> rejected = Collections.synchronizedList(new ArrayList<>());

    @Test
    void theSpecIsReadWhileTheStoreOpens() {
        CountDownLatch opening = new CountDownLatch(1);
        AtomicBoolean sawItOpening = new AtomicBoolean();
        String loaded = RunReport.whileOpening(() -> {
            sawItOpening.set(await(opening));
            return "plan";
        }, () -> {
            opening.countDown();
            return "store";
        }, e -> rejected.add(e.getMessage()));

        assertThat(loaded).isEqualTo("plan");
        assertThat(sawItOpening).as("the store was opening while the spec was read").isTrue();
        assertThat(rejected).isEmpty();
    }

    @Test
    void aStoreThatCannotBeOpenedFailsTheCommandWhateverTheSpec() {
        assertThatThrownBy(() -> RunReport.whileOpening(() -> "plan", () -> {
            throw BROKEN;
        }, e -> rejected.add(e.getMessage()))).as("a valid spec").isSameAs(BROKEN);
        assertThatThrownBy(() -> RunReport.whileOpening(() -> {
            throw INVALID;
        }, () -> {
            throw BROKEN;
        }, e -> rejected.add(e.getMessage()))).as("an invalid spec: its rejection cannot be recorded").isSameAs(BROKEN);
        assertThat(rejected).isEmpty();
    }

    @Test
    void anInvalidSpecIsRecordedOnceTheStoreIsOpenThenReported() {
        AtomicBoolean open = new AtomicBoolean();
        assertThatThrownBy(() -> RunReport.whileOpening(() -> {
            throw INVALID;
        }, slowly(() -> {
            open.set(true);
            return "store";
        }), e -> rejected.add((open.get() ? "after opening: " : "before opening: ") + e.getMessage())))
                .isSameAs(INVALID);
        assertThat(rejected).containsExactly("after opening: " + INVALID.getMessage());
    }

    @Test
    void aProjectThatCannotBeLoadedIsReportedOnceTheStoreIsNoLongerOpening() {
        IllegalArgumentException notFound = new IllegalArgumentException("-f: no such file");
        AtomicBoolean opened = new AtomicBoolean();
        assertThatThrownBy(() -> RunReport.whileOpening(() -> {
            throw notFound;
        }, slowly(() -> {
            opened.set(true);
            throw BROKEN;
        }), e -> rejected.add(e.getMessage()))).as("the load's failure, the store's not asked for").isSameAs(notFound);
        assertThat(opened).as("the store's opening had ended").isTrue();
    }

    private static <T> Supplier<T> slowly(Supplier<T> open) {
        return () -> {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return open.get();
        };
    }

    private static boolean await(CountDownLatch latch) {
        try {
            return latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
