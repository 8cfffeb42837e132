package dev.lok8s.lo.projection;

import dev.lok8s.lo.events.ImageWarmed;
import dev.lok8s.lo.events.LoEvent;
import dev.lok8s.lo.events.RegistryRemoved;
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

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * ImageWarmed and RegistryRemoved folded on both engines (migration V20_1): what a warm put into a mirror
 * is known until the mirror is removed, however many other events the log holds.
 */
@ParameterizedClass
@EnumSource(StoreEngine.class)
class WarmedImagesProjectionTest {

    static final String MIRROR = "lok8s-registry-io-docker";
    static final String OTHER = "lok8s-registry-io-quay";

    @Parameter
    StoreEngine engine;

    TestStore temp;
    EventStore store;

    @BeforeEach
    void open() {
        temp = engine.open();
        store = temp.eventStore();
    }

    @AfterEach
    void close() throws Exception {
        temp.close();
    }

    void warmed(String mirror, String digest, String platform) {
        UUID run = UUID.randomUUID();
        store.append("run-" + run, ExpectedVersion.ANY, List.of(new ImageWarmed(run, "lok8s.dev", "a",
                "docker.io/library/demo:1", mirror, digest, 10, 1, 1, platform, false)), null);
    }

    WarmedImages warmedImages() {
        return ReadModels.of(store).warmedImages();
    }

    @Test
    void aWarmedImageIsKnownPerMirrorAndPlatformOnce() {
        warmed(MIRROR, "sha256:aa", "linux/amd64");
        warmed(MIRROR, "sha256:aa", "linux/amd64");
        warmed(MIRROR, "sha256:aa", "all");
        warmed(OTHER, "sha256:bb", "linux/amd64");

        assertThat(warmedImages().of(MIRROR)).containsExactlyInAnyOrder("sha256:aa linux/amd64", "sha256:aa all");
        assertThat(warmedImages().of(OTHER)).containsExactly("sha256:bb linux/amd64");
        assertThat(warmedImages().of("lok8s-registry-none")).isEmpty();
    }

    @Test
    void aRemovedMirrorForgetsWhatWasWarmedIntoIt() {
        warmed(MIRROR, "sha256:aa", "linux/amd64");
        warmed(OTHER, "sha256:bb", "linux/amd64");
        store.append("registry-" + MIRROR, ExpectedVersion.ANY,
                List.of(new RegistryRemoved("lok8s.dev", "a", MIRROR)), null);

        assertThat(warmedImages().of(MIRROR)).as("its volume, and the cache, went with it").isEmpty();
        assertThat(warmedImages().of(OTHER)).containsExactly("sha256:bb linux/amd64");

        warmed(MIRROR, "sha256:cc", "linux/amd64");
        assertThat(warmedImages().of(MIRROR)).as("warmed again after").containsExactly("sha256:cc linux/amd64");
    }

    @Test
    void anOldWarmIsKnownBehindManyNewerOnesAndAfterAReplay() {
        warmed(MIRROR, "sha256:aa", "linux/amd64");
        UUID run = UUID.randomUUID();
        List<LoEvent> many = new ArrayList<>();
        for (int i = 0; i < 2100; i++) {
            many.add(new ImageWarmed(run, "lok8s.dev", "a", "docker.io/library/x:" + i, OTHER, "sha256:" + i, 1, 1,
                    1, "linux/amd64", false));
        }
        store.append("run-" + run, ExpectedVersion.ANY, many, null);

        assertThat(warmedImages().of(MIRROR)).as("older than the newest 2000 warms: still known")
                .containsExactly("sha256:aa linux/amd64");
        store.rebuildProjections();
        assertThat(warmedImages().of(MIRROR)).containsExactly("sha256:aa linux/amd64");
        assertThat(warmedImages().of(OTHER)).hasSize(2100);
    }
}
