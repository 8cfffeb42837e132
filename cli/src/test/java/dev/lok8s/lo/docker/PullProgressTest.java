package dev.lok8s.lo.docker;

import com.github.dockerjava.api.model.PullResponseItem;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PullProgressTest {

    @Test
    void status_with_layer_and_progress() {
        var item = Json.read("""
                {"status":"Downloading","id":"a3ed95caeb02","progress":"[==>   ] 1.2MB/5MB","progressDetail":{"current":1}}""",
                PullResponseItem.class);
        assertThat(PullProgress.line(item)).isEqualTo("a3ed95caeb02: Downloading [==>   ] 1.2MB/5MB");
        assertThat(PullProgress.error(item)).isNull();
    }

    @Test
    void plain_status() {
        assertThat(PullProgress.line(Json.read("{\"status\":\"Pulling from library/registry\",\"id\":\"2\"}", PullResponseItem.class)))
                .isEqualTo("2: Pulling from library/registry");
    }

    @Test
    void error_inside_the_stream() {
        var item = Json.read("""
                {"errorDetail":{"message":"manifest unknown"},"error":"manifest unknown"}""", PullResponseItem.class);
        assertThat(PullProgress.error(item)).isEqualTo("manifest unknown");
        assertThat(PullProgress.line(item)).isNull();
    }
}
