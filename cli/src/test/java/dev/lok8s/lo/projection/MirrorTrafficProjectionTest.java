package dev.lok8s.lo.projection;

import dev.lok8s.lo.events.MirrorLogRead;
import dev.lok8s.lo.events.MirrorStarted;
import dev.lok8s.lo.events.NodeConnected;
import dev.lok8s.lo.plan.Scope;
import dev.lok8s.lo.store.EventStore;
import dev.lok8s.lo.store.ExpectedVersion;
import dev.lok8s.lo.store.StoreEngine;
import dev.lok8s.lo.store.TestStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** MirrorLogRead folded on both engines: the cursor, last pulls that only move forward, traffic per project. */
@ParameterizedClass
@EnumSource(StoreEngine.class)
class MirrorTrafficProjectionTest {

    static final String MIRROR = "lok8s-registry-io-docker";
    static final Instant H10 = Instant.parse("2026-12-01T10:00:00Z");
    static final Instant H11 = Instant.parse("2026-12-01T11:00:00Z");

    @Parameter
    StoreEngine engine;

    TestStore temp;
    EventStore store;

    @BeforeEach
    void open() {
        temp = engine.open();
        store = temp.eventStore();
        store.append("network-lok8s-registries", ExpectedVersion.ANY, List.of(
                new MirrorStarted("lok8s.dev", "a", MIRROR, "io-docker", Scope.SHARED, "lok8s-registries",
                        "10.125.200.2", "registry:2.8.3", "h", "https://registry-1.docker.io"),
                new NodeConnected("lok8s.dev", "a", "a-control-plane", "lok8s-registries", "10.125.200.10")), null);
    }

    @AfterEach
    void close() throws Exception {
        temp.close();
    }

    MirrorTraffic traffic() {
        return ReadModels.of(store).mirrorTraffic();
    }

    void read(Instant until, List<MirrorLogRead.Pulled> images, List<MirrorLogRead.Traffic> traffic) {
        store.append("mirror-" + MIRROR, ExpectedVersion.ANY, List.of(new MirrorLogRead("lok8s.dev", "a", MIRROR,
                "c1", until, images, traffic, 0, false)), null);
    }

    @Test
    void readsAddUpPerProjectAndHourAndKeepTheNewestPull() {
        read(Instant.parse("2026-12-01T10:30:00.123456789Z"),
                List.of(new MirrorLogRead.Pulled("library/demo", "1", Instant.parse("2026-12-01T10:20:00Z"), 2)),
                List.of(new MirrorLogRead.Traffic(H10, "10.125.200.10", 3, 1, 3000, 1000),
                        new MirrorLogRead.Traffic(H10, "10.125.200.1", 0, 2, 0, 500)));
        read(Instant.parse("2026-12-01T11:05:00Z"),
                List.of(new MirrorLogRead.Pulled("library/demo", "1", Instant.parse("2026-12-01T09:00:00Z"), 1),
                        new MirrorLogRead.Pulled("library/big", "1", Instant.parse("2026-12-01T11:01:00Z"), 1)),
                List.of(new MirrorLogRead.Traffic(H10, "10.125.200.10", 1, 0, 100, 0),
                        new MirrorLogRead.Traffic(H11, "10.125.200.10", 5, 0, 500, 0)));

        assertThat(traffic().cursor(MIRROR)).as("nanoseconds kept: the next read starts exactly after")
                .contains(new MirrorTraffic.Cursor("c1", Instant.parse("2026-12-01T11:05:00Z")));
        assertThat(traffic().lastPulls(MIRROR)).as("an older pull in a later read does not move it back")
                .containsEntry("library/demo\n1", Instant.parse("2026-12-01T10:20:00Z"))
                .containsEntry("library/big\n1", Instant.parse("2026-12-01T11:01:00Z"));
        assertThat(traffic().totals(List.of(MIRROR), null)).containsExactlyInAnyOrder(
                new MirrorTraffic.Counts(MIRROR, "a", null, 9, 1, 3600, 1000),
                new MirrorTraffic.Counts(MIRROR, null, null, 0, 2, 0, 500));
        assertThat(traffic().hourly(List.of(MIRROR), H11)).containsExactly(
                new MirrorTraffic.Counts(MIRROR, "a", H11, 5, 0, 500, 0));
        assertThat(traffic().all()).hasSize(2);
    }

    @Test
    void aCursorWithNanosecondsRoundTrips() {
        Instant until = Instant.parse("2026-12-01T10:30:00.123456789Z");
        read(until, List.of(), List.of());
        assertThat(traffic().cursor(MIRROR).orElseThrow().until()).isEqualTo(until);
        assertThat(traffic().totals(List.of(), null)).isEmpty();
    }
}
