package dev.lok8s.lo.projection;

import dev.lok8s.lo.events.EventMetadata;
import dev.lok8s.lo.events.RunRejected;
import dev.lok8s.lo.store.ExpectedVersion;
import dev.lok8s.lo.store.TempStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** A run-id prefix is text, not a LIKE pattern: '%' and '_' match no run instead of every run. */
class RunIdPrefixTest {

    TempStore temp;

    @BeforeEach
    void open() {
        temp = TempStore.create();
    }

    @AfterEach
    void close() throws Exception {
        temp.close();
    }

    @Test
    void likeWildcardsMatchNoRun() {
        UUID run = UUID.randomUUID();
        temp.eventStore().append("run-" + run, ExpectedVersion.NO_STREAM,
                List.of(new RunRejected(run, "w.test", "w", "provision", "bad spec")),
                EventMetadata.local(run, "lo provision w.test", "test"));
        RunHistory runs = new RunHistory(temp.dataSource);

        assertThat(runs.resolve(run.toString().substring(0, 8))).contains(run);
        assertThat(runs.resolve(run.toString().toUpperCase())).contains(run);
        for (String pattern : List.of("%", "_", "%%", "________", run.toString().substring(0, 4) + "%", "_" + run.toString().substring(1, 8))) {
            assertThat(runs.resolve(pattern)).as("run=" + pattern).isEmpty();
        }
    }
}
