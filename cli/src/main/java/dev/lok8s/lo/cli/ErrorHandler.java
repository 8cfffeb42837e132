package dev.lok8s.lo.cli;

import dev.lok8s.lo.failure.FailureKind;
import dev.lok8s.lo.failure.Reason;
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
        Reason reason = FailureKind.reason(e);
        // the store is opened lazily: a store that cannot be opened fails inside a bean's creation
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof dev.lok8s.lo.store.StoreException store) {
                reason = Reason.of(storeMessage(store.getMessage()));
                break;
            }
        }
        err.println(reason.lines());
        err.flush();
        return code;
    }

    /**
     * A store failure on one line, naming the PostgreSQL server when the store is one (the driver's
     * "I/O error" or "terminating connection" messages do not).
     */
    static String storeMessage(String message) {
        String first = message.strip().lines().findFirst().orElse(message);
        String url = org.eclipse.microprofile.config.ConfigProvider.getConfig()
                .getOptionalValue("quarkus.datasource.postgresql.jdbc.url", String.class).orElse(null);
        if (url == null) {
            return first;
        }
        String server = dev.lok8s.lo.store.StoreFailures.server(url);
        String hostPort = server.replaceFirst("^PostgreSQL at ", "").replaceFirst("/.*$", "");
        return first.contains(hostPort) ? first : first + " (" + server + ")";
    }

    static int exitCode(Throwable e) {
        return FailureKind.of(e).exitCode();
    }
}
