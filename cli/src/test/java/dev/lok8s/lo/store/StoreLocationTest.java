package dev.lok8s.lo.store;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
                .isEqualTo("jdbc:h2:file:/s/lo/lo;AUTO_SERVER=TRUE;WRITE_DELAY=0;LOCK_TIMEOUT=10000;IFEXISTS=TRUE"
                        + ";IGNORE_UNKNOWN_SETTINGS=TRUE;TRACE_LEVEL_FILE=0");
    }

    @Test
    void aSemicolonInTheStateDirectoryCannotAddUrlSettings() {
        assertThatThrownBy(() -> StoreLocation.h2Url(Path.of("/tmp/x;INIT=RUNSCRIPT FROM 'evil.sql'")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("LO_STATE_DIR")
                .hasMessageContaining("';'")
                .hasMessageNotContaining("\n");
        assertThatThrownBy(() -> StoreLocation.h2Url(Path.of("/tmp/x\nAUTO_SERVER=FALSE")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("control character");
    }
}
