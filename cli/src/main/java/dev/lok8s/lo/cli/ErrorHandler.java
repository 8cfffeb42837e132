package dev.lok8s.lo.cli;

import dev.lok8s.lo.failure.FailureKind;
import dev.lok8s.lo.failure.Reason;
import dev.lok8s.lo.spec.SafeText;
import dev.lok8s.lo.store.StoreException;
import dev.lok8s.lo.store.StoreFailures;
import io.quarkus.picocli.runtime.PicocliCommandLineFactory;
import io.quarkus.runtime.annotations.CommandLineArguments;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import picocli.CommandLine;

import java.util.Optional;

/**
 * The one place where exceptions become messages and exit codes: a clear line (or one line per
 * spec error) on stderr, never a stack trace unless {@code LO_DEBUG} is set.
 */
@ApplicationScoped
public class ErrorHandler implements CommandLine.IExecutionExceptionHandler {

    /**
     * The model of the command that runs ({@link CommandModel}), with these handlers. A build that names
     * its own top command (the service build: {@code quarkus.picocli.top-command}) gets that one's model.
     */
    @Produces
    CommandLine commandLine(PicocliCommandLineFactory configured, CommandLine.IFactory factory,
                            @CommandLineArguments String[] args,
                            @ConfigProperty(name = "quarkus.picocli.top-command") Optional<String> topCommand) {
        CommandLine line = topCommand.isPresent() ? configured.create() : CommandModel.forArguments(args, factory);
        return line.setExecutionExceptionHandler(this).setParameterExceptionHandler(ErrorHandler::badArguments);
    }

    /**
     * Arguments picocli cannot parse: its own message and usage, as its default handler prints them,
     * but with the message shown safely: it echoes what was typed ({@code Unknown option: '...'}).
     */
    static int badArguments(CommandLine.ParameterException ex, String[] args) {
        CommandLine commandLine = ex.getCommandLine();
        var err = commandLine.getErr();
        err.println(commandLine.getColorScheme().errorText(SafeText.lines(ex.getMessage())));
        if (!CommandLine.UnmatchedArgumentException.printSuggestions(ex, err)) {
            commandLine.usage(err, commandLine.getColorScheme());
        }
        err.flush();
        var mapper = commandLine.getExitCodeExceptionMapper();
        return mapper != null ? mapper.getExitCode(ex) : commandLine.getCommandSpec().exitCodeOnInvalidInput();
    }

    @Override
    public int handleExecutionException(Exception e, CommandLine commandLine, CommandLine.ParseResult parseResult) {
        var err = commandLine.getErr();
        if (System.getenv("LO_DEBUG") != null) {
            e.printStackTrace(err);
        }
        int code = exitCode(e);
        Reason reason = FailureKind.reason(e);
        // the store is opened lazily: a store that cannot be opened fails inside a bean's creation
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof StoreException store) {
                reason = Reason.of(storeMessage(store.getMessage()));
                break;
            }
        }
        // messages echo what came from outside (arguments, files, the log): the one rule for showing them
        err.println(SafeText.lines(reason.lines()));
        err.flush();
        return code;
    }

    /**
     * A store failure on one line, naming the PostgreSQL server when the store is one (the driver's
     * "I/O error" or "terminating connection" messages do not).
     */
    static String storeMessage(String message) {
        String first = message.strip().lines().findFirst().orElse(message);
        String url = ConfigProvider.getConfig()
                .getOptionalValue("quarkus.datasource.postgresql.jdbc.url", String.class).orElse(null);
        if (url == null) {
            return first;
        }
        String server = StoreFailures.server(url);
        String hostPort = server.replaceFirst("^PostgreSQL at ", "").replaceFirst("/.*$", "");
        return first.contains(hostPort) ? first : first + " (" + server + ")";
    }

    static int exitCode(Throwable e) {
        return FailureKind.of(e).exitCode();
    }
}
