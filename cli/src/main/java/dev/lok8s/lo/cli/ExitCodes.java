package dev.lok8s.lo.cli;

import dev.lok8s.lo.failure.FailureKind;

/** The exit codes every command shares, by name; the values are the table's ({@link FailureKind}), documented in docs/cli.md. */
public final class ExitCodes {
    public static final int OK = 0;
    /** A provision or other operation failed on the machine. */
    public static final int FAILED = FailureKind.FAILED.exitCode();
    /** Bad input: an invalid spec, a bad option, a refused precondition such as a subnet mismatch. */
    public static final int INVALID = FailureKind.BAD_INPUT.exitCode();
    /** The Docker Engine could not be reached. */
    public static final int ENGINE_UNAVAILABLE = FailureKind.ENGINE_UNAVAILABLE.exitCode();
    /** Another run holds this project's lease. */
    public static final int BUSY = FailureKind.BUSY.exitCode();

    private ExitCodes() {
    }
}
