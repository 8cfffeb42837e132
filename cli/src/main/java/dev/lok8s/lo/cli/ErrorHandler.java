package dev.lok8s.lo.cli;

import dev.lok8s.lo.engine.EngineUnavailableException;
import dev.lok8s.lo.kind.KindException;
import dev.lok8s.lo.run.ProjectLeases;
import dev.lok8s.lo.spec.SpecInvalidException;
import dev.lok8s.lo.tls.TlsPrerequisiteException;
import io.quarkus.picocli.runtime.PicocliCommandLineFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import picocli.CommandLine;

/**
 * The one place where exceptions become messages and exit codes: a clear line (or one line per
 * spec error) on stderr, never a stack trace unless {@code LO_DEBUG} is set.
 */
@ApplicationScoped
public class ErrorHandler implements CommandLine.IExecutionExceptionHandler {

    @Produces
    CommandLine commandLine(PicocliCommandLineFactory factory) {
        return factory.create().setExecutionExceptionHandler(this);
    }

    @Override
    public int handleExecutionException(Exception e, CommandLine commandLine, CommandLine.ParseResult parseResult) {
        var err = commandLine.getErr();
        if (System.getenv("LO_DEBUG") != null) {
            e.printStackTrace(err);
        }
        int code = exitCode(e);
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        err.println(message.startsWith("error:") ? message : "error: " + message);
        err.flush();
        return code;
    }

    static int exitCode(Throwable e) {
        return switch (e) {
            case SpecInvalidException ignored -> ExitCodes.INVALID;
            case TlsPrerequisiteException ignored -> ExitCodes.INVALID;
            case IllegalArgumentException ignored -> ExitCodes.INVALID;
            case EngineUnavailableException ignored -> ExitCodes.ENGINE_UNAVAILABLE;
            case ProjectLeases.LeaseBusyException ignored -> ExitCodes.BUSY;
            case KindException ignored -> ExitCodes.FAILED;
            default -> ExitCodes.FAILED;
        };
    }
}
