package dev.lok8s.lo.failure;

/**
 * The one table of how lo fails and what each edge makes of it: a command's exit code
 * (docs/cli.md) and the API's HTTP status and problem title (docs/api.md). The command line's
 * error handler, its run reports and the API's problem mappers all read it. Exceptions say which
 * kind they are by implementing {@link Failing}; this package depends on nothing else of lo.
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

    /**
     * What an exception that reached an edge means: what a {@link Failing} exception says it is,
     * bad input for an {@link IllegalArgumentException}, otherwise a failure.
     */
    public static FailureKind of(Throwable e) {
        return switch (e) {
            case Failing failing -> failing.kind();
            case IllegalArgumentException ignored -> BAD_INPUT;
            default -> FAILED;
        };
    }

    /** Why an exception that reached an edge failed, as message and fix. */
    public static Reason reason(Throwable e) {
        if (e instanceof Failing failing) {
            return failing.reason();
        }
        return Reason.parse(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
    }
}
