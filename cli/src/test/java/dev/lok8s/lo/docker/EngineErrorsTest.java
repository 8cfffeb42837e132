package dev.lok8s.lo.docker;

import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.InternalServerErrorException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;

import static org.assertj.core.api.Assertions.assertThat;

class EngineErrorsTest {

    // DockerException prefixes "Status <code>: " to the body it is given
    @Test
    void message_is_the_engines_own_text_without_status_and_json() {
        var e = new ConflictException("{\"message\":\"Conflict. The container name \\\"/x\\\" is already in use\"}\n");
        assertThat(EngineErrors.message(e)).isEqualTo("Conflict. The container name \"/x\" is already in use");
    }

    @Test
    void message_without_json_loses_only_the_status_prefix() {
        assertThat(EngineErrors.message(new InternalServerErrorException("boom\nagain")))
                .isEqualTo("boom again");
    }

    @Test
    void an_http_answer_is_never_unreachable() {
        assertThat(EngineErrors.isUnreachable(new InternalServerErrorException("x"))).isFalse();
        assertThat(EngineErrors.isUnreachable(new IllegalStateException("bug"))).isFalse();
    }

    @Test
    void io_failures_anywhere_in_the_chain_are_unreachable() {
        assertThat(EngineErrors.isUnreachable(new RuntimeException(new ConnectException("Connection refused")))).isTrue();
        assertThat(EngineErrors.isUnreachable(new RuntimeException(new RuntimeException(new SocketTimeoutException("Read timed out"))))).isTrue();
        assertThat(EngineErrors.isUnreachable(new RuntimeException(new IOException("No such file or directory")))).isTrue();
    }

    @Test
    void root_cause_is_the_innermost_message() {
        var e = new RuntimeException("java.io.IOException: wrapped", new IOException("No such file or directory"));
        assertThat(EngineErrors.rootCause(e)).isEqualTo("No such file or directory");
        assertThat(EngineErrors.rootCause(new RuntimeException(new ConnectException()))).isEqualTo("ConnectException");
    }

    @Test
    void mentions_ignores_case() {
        var e = new InternalServerErrorException("{\"message\":\"Address already in use\"}");
        assertThat(EngineErrors.mentions(e, "address already in use")).isTrue();
        assertThat(EngineErrors.mentions(e, "overlaps")).isFalse();
    }
}
