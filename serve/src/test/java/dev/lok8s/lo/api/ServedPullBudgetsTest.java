package dev.lok8s.lo.api;

import dev.lok8s.lo.upstream.PullBudget;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The service asks a set of budgets once while it is fresh, however often the page or Prometheus asks. */
class ServedPullBudgetsTest {

    @Test
    void aFreshSetIsServedWithoutAskingTheUpstreamsAgain() {
        ServedPullBudgets served = new ServedPullBudgets();
        AtomicInteger asked = new AtomicInteger();
        Map<String, PullBudget> first = served.budgets("mirrors a", () -> {
            asked.incrementAndGet();
            return Map.of("a", PullBudget.notReported(null));
        });
        Map<String, PullBudget> again = served.budgets("mirrors a", () -> {
            asked.incrementAndGet();
            return Map.of();
        });
        assertThat(again).isEqualTo(first);
        served.budgets("mirrors b", () -> {
            asked.incrementAndGet();
            return Map.of();
        });
        assertThat(asked.get()).as("one ask per set").isEqualTo(2);
    }
}
