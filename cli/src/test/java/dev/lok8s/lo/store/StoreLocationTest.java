package dev.lok8s.lo.store;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class StoreLocationTest {

    @Test
    void theStateDirectoryComesFromSettingThenLoStateDirThenXdgThenHome() {
        Map<String, String> env = Map.of("LO_STATE_DIR", "/s/lo", "XDG_STATE_HOME", "/xdg", "HOME", "/home/u");
        assertThat(StoreLocation.stateDir("/configured", env::get)).isEqualTo(Path.of("/configured"));
        assertThat(StoreLocation.stateDir(null, env::get)).isEqualTo(Path.of("/s/lo"));
        assertThat(StoreLocation.stateDir(null, Map.of("XDG_STATE_HOME", "/xdg", "HOME", "/home/u")::get))
                .isEqualTo(Path.of("/xdg/lok8s/lo"));
        assertThat(StoreLocation.stateDir(null, Map.of("HOME", "/home/u")::get))
                .isEqualTo(Path.of("/home/u/.local/state/lok8s/lo"));
    }

    @Test
    void theUrlOpensTheFileFromSeveralProcessesAndWritesEveryCommit() {
        assertThat(StoreLocation.h2Url(Path.of("/s/lo")))
                .isEqualTo("jdbc:h2:file:/s/lo/lo;AUTO_SERVER=TRUE;WRITE_DELAY=0;LOCK_TIMEOUT=10000");
    }
}
