package dev.lok8s.lo.cli;

/** The exit codes every command shares; documented in docs/cli.md. */
public final class ExitCodes {
    public static final int OK = 0;
    /** A provision or other operation failed on the machine. */
    public static final int FAILED = 1;
    /** Bad input: an invalid spec, a bad option, a refused precondition such as a subnet mismatch. */
    public static final int INVALID = 2;
    /** The Docker Engine could not be reached. */
    public static final int ENGINE_UNAVAILABLE = 3;
    /** Another run holds this project's lease. */
    public static final int BUSY = 4;

    private ExitCodes() {
    }
}
