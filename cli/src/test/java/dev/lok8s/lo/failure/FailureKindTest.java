package dev.lok8s.lo.failure;

import dev.lok8s.lo.engine.EngineUnavailableException;
import dev.lok8s.lo.run.ProjectLeases;
import dev.lok8s.lo.run.RunOutcome;
import dev.lok8s.lo.spec.SpecInvalidException;
import dev.lok8s.lo.store.StoreException;
import org.junit.jupiter.api.Test;


import static org.assertj.core.api.Assertions.assertThat;

/** The one table of failures: the exit codes docs/cli.md documents and the statuses of docs/api.md. */
class FailureKindTest {

    @Test
    void eachKindHasItsExitCodeAndStatus() {
        assertThat(FailureKind.BAD_INPUT.exitCode()).isEqualTo(2);
        assertThat(FailureKind.BAD_INPUT.httpStatus()).isEqualTo(400);
        assertThat(FailureKind.NOT_FOUND.httpStatus()).isEqualTo(404);
        assertThat(FailureKind.FAILED.exitCode()).isEqualTo(1);
        assertThat(FailureKind.FAILED.httpStatus()).isEqualTo(500);
        assertThat(FailureKind.ENGINE_UNAVAILABLE.exitCode()).isEqualTo(3);
        assertThat(FailureKind.ENGINE_UNAVAILABLE.httpStatus()).isEqualTo(503);
        assertThat(FailureKind.STORE_UNAVAILABLE.httpStatus()).isEqualTo(503);
        assertThat(FailureKind.BUSY.exitCode()).isEqualTo(4);
    }

    @Test
    void exceptionsAndRunOutcomesMapToTheirKind() {
        assertThat(FailureKind.of(new SpecInvalidException(java.nio.file.Path.of("cluster.lok8s.yaml"), new dev.lok8s.lo.spec.SpecError("metadata.name", "missing"))))
                .isEqualTo(FailureKind.BAD_INPUT);
        assertThat(FailureKind.of(new IllegalArgumentException("--limit: 'x'"))).isEqualTo(FailureKind.BAD_INPUT);
        assertThat(FailureKind.of(new EngineUnavailableException("no engine", null)))
                .isEqualTo(FailureKind.ENGINE_UNAVAILABLE);
        assertThat(FailureKind.of(new ProjectLeases.LeaseBusyException("p", null))).isEqualTo(FailureKind.BUSY);
        assertThat(FailureKind.of(new StoreException("gone", null))).isEqualTo(FailureKind.STORE_UNAVAILABLE);
        assertThat(FailureKind.of(new IllegalStateException("bug"))).isEqualTo(FailureKind.FAILED);

        assertThat(RunOutcome.Failure.NONE.kind()).isNull();
        assertThat(RunOutcome.Failure.REFUSED.kind()).isEqualTo(FailureKind.BAD_INPUT);
        assertThat(RunOutcome.Failure.ENGINE_UNAVAILABLE.kind()).isEqualTo(FailureKind.ENGINE_UNAVAILABLE);
        assertThat(RunOutcome.Failure.FAILED.kind()).isEqualTo(FailureKind.FAILED);
    }

    @Test
    void stepFailuresAndTlsPrerequisitesSayTheirKindAndReason() {
        var refused = dev.lok8s.lo.reconcile.StepFailedException.refused(Reason.of("address taken", "docker rm -f x"));
        assertThat(FailureKind.of(refused)).isEqualTo(FailureKind.BAD_INPUT);
        assertThat(FailureKind.reason(refused)).isEqualTo(Reason.of("address taken", "docker rm -f x"));
        assertThat(refused.getMessage()).as("the recorded text").isEqualTo("error: address taken\nfix: docker rm -f x");
        assertThat(FailureKind.of(new dev.lok8s.lo.reconcile.StepFailedException("pull failed", false)))
                .isEqualTo(FailureKind.FAILED);
        assertThat(FailureKind.of(new dev.lok8s.lo.tls.TlsPrerequisiteException("mkcert's CA is missing")))
                .isEqualTo(FailureKind.BAD_INPUT);
        assertThat(FailureKind.reason(new IllegalStateException())).as("no message").isEqualTo(
                Reason.of("IllegalStateException"));
    }
}
