package dev.lok8s.lo.failure;

import dev.lok8s.lo.engine.EngineUnavailableException;
import dev.lok8s.lo.run.ProjectLeases;
import dev.lok8s.lo.run.RunOutcome;
import dev.lok8s.lo.spec.SpecInvalidException;
import dev.lok8s.lo.store.StoreException;
import dev.lok8s.lo.tls.TlsPrerequisiteException;

/**
 * The one table of how lo fails and what each edge makes of it: a command's exit code
 * (docs/cli.md) and the API's HTTP status and problem title (docs/api.md). The command line's
 * error handler, its run reports and the API's problem mappers all read it.
 */
public enum FailureKind {

    /** Bad input: an invalid spec or option, a refused precondition such as a subnet mismatch. */
    BAD_INPUT(2, 400, "Bad request parameter"),
    /** What was asked for does not exist. */
    NOT_FOUND(2, 404, "Not found"),
    /** An operation failed on the machine, or lo itself did. */
    FAILED(1, 500, "Internal error"),
    /** The Docker Engine could not be reached. */
    ENGINE_UNAVAILABLE(3, 503, "Docker Engine unavailable"),
    /** The event store could not be read or written. */
    STORE_UNAVAILABLE(1, 503, "Event store unavailable"),
    /** Another run holds the project's lease. */
    BUSY(4, 409, "Project busy");

    private final int exitCode;
    private final int httpStatus;
    private final String title;

    FailureKind(int exitCode, int httpStatus, String title) {
        this.exitCode = exitCode;
        this.httpStatus = httpStatus;
        this.title = title;
    }

    public int exitCode() {
        return exitCode;
    }

    public int httpStatus() {
        return httpStatus;
    }

    public String title() {
        return title;
    }

    /** What an exception that reached an edge means. */
    public static FailureKind of(Throwable e) {
        return switch (e) {
            case SpecInvalidException ignored -> BAD_INPUT;
            case TlsPrerequisiteException ignored -> BAD_INPUT;
            case IllegalArgumentException ignored -> BAD_INPUT;
            case EngineUnavailableException ignored -> ENGINE_UNAVAILABLE;
            case ProjectLeases.LeaseBusyException ignored -> BUSY;
            case StoreException ignored -> STORE_UNAVAILABLE;
            default -> FAILED;
        };
    }

    /** What a run that did not complete means; null for one that did. */
    public static FailureKind of(RunOutcome.Failure failure) {
        return switch (failure) {
            case NONE -> null;
            case REFUSED -> BAD_INPUT;
            case ENGINE_UNAVAILABLE -> ENGINE_UNAVAILABLE;
            case FAILED -> FAILED;
        };
    }
}
