package dev.lok8s.lo.cli;

import dev.lok8s.lo.failure.Reason;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Unmatched;

import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code serve} in the command-line build: lists {@code lo serve} in the help and, when this build
 * is started with {@code serve} directly, says where the server is. The server itself
 * ({@code ServeCommand}, the REST API, OpenAPI, health, metrics) is the service build in serve/,
 * which the launcher deploy/lo runs for {@code lo serve}; keeping it out of this build keeps every
 * other command from paying for it (docs/building.md).
 */
@Command(name = "serve", description = "Serve the projections as a read-only JSON API (and an event stream) until stopped.")
public class ServeHintCommand implements Callable<Integer> {

    static final String MESSAGE = "lo serve runs from lo's service build, not this command-line build:"
            + " start it through the launcher (deploy/lo serve), or run serve/target/quarkus-app/quarkus-run.jar serve";

    @Mixin
    OutputOptions output;

    @Unmatched
    List<String> ignored;

    @Override
    public Integer call() {
        output.err().println(Reason.errorLine(MESSAGE));
        return ExitCodes.INVALID;
    }
}
