package dev.lok8s.lo.docker;

import org.junit.jupiter.api.Test;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class EngineQueryTest {

    @Test
    void filters_are_dockers_json_map_of_lists_url_encoded() {
        String path = EngineQuery.withFilters("/containers/json?all=1",
                Map.of("label", List.of("dev.lok8s.managed-by=lo", "dev.lok8s.test")));

        assertThat(path).startsWith("/containers/json?all=1&filters=").doesNotContain("{", "\"", " ");
        assertThat(URLDecoder.decode(path.substring(path.indexOf("filters=") + 8), StandardCharsets.UTF_8))
                .isEqualTo("{\"label\":[\"dev.lok8s.managed-by=lo\",\"dev.lok8s.test\"]}");
        assertThat(EngineQuery.withFilters("/volumes", Map.of("name", List.of("a"))))
                .as("the first query parameter").startsWith("/volumes?filters=");
        assertThat(EngineQuery.withFilters("/networks", Map.of())).as("no filter, no parameter").isEqualTo("/networks");
    }

    @Test
    void a_segment_is_escaped_and_an_image_keeps_its_slashes() {
        assertThat(EngineQuery.segment("lok8s-registry-build", false)).isEqualTo("lok8s-registry-build");
        assertThat(EngineQuery.segment("lok8s.local/registry:2.8.2", true)).isEqualTo("lok8s.local/registry%3A2.8.2");
        assertThat(EngineQuery.segment("a/b c?d", false)).isEqualTo("a%2Fb%20c%3Fd");
    }

    @Test
    void an_error_answer_gives_the_engines_message_on_one_line() {
        assertThat(EngineQuery.errorMessage("{\"message\":\"page not found\\nat all\"}".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("page not found at all");
        assertThat(EngineQuery.errorMessage("plain text\n".getBytes(StandardCharsets.UTF_8))).isEqualTo("plain text");
        assertThat(EngineQuery.errorMessage(new byte[0])).isEqualTo("(no message)");
    }

    @Test
    void labels_of_strings_and_absent_labels() {
        assertThat(EngineQuery.strings(Json.tree("{\"a\":\"1\",\"b\":\"\"}"))).containsExactly(Map.entry("a", "1"), Map.entry("b", ""));
        assertThat(EngineQuery.strings(Json.tree("null"))).isEmpty();
        assertThat(EngineQuery.strings(null)).isEmpty();
    }
}
