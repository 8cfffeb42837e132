package dev.lok8s.lo.cli;

import dev.lok8s.lo.failure.Reason;
import dev.lok8s.lo.api.AccessGuard;
import io.quarkus.runtime.Quarkus;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.Config;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/**
 * {@code lo serve}: the projections over HTTP until stopped. It lives in the service build (serve/,
 * docs/building.md). The HTTP server is configured before picocli parses anything, so the launcher
 * (deploy/lo) maps {@code --host/--port} to {@code quarkus.http.host/port}; this command only checks
 * that what runs is what was asked for.
 */
@Command(name = "serve", description = "Serve the projections as a read-only JSON API (and an event stream) until stopped.")
public class ServeCommand implements Callable<Integer> {

    static final String LAUNCHER_HINT = "start it through the launcher (deploy/lo serve), or pass"
            + " -Dquarkus.http.host=HOST -Dquarkus.http.port=PORT to java";

    @Mixin
    OutputOptions output;

    @Option(names = "--host", paramLabel = "HOST", description = "Address to listen on (default 127.0.0.1). Any other than loopback needs LO_SERVE_TOKEN.")
    String host;

    @Option(names = "--port", paramLabel = "PORT", description = "Port to listen on (default 7411).")
    String port;

    @Inject
    Config config;

    @Inject
    AccessGuard guard;

    @Override
    public Integer call() {
        var err = output.err();
        boolean httpOn = config.getOptionalValue("quarkus.http.host-enabled", Boolean.class).orElse(true);
        if (!httpOn) {
            err.println(Reason.errorLine("lo serve needs HTTP on (quarkus.http.host-enabled=false was set): " + LAUNCHER_HINT));
            return ExitCodes.INVALID;
        }
        String effectiveHost = config.getOptionalValue("quarkus.http.host", String.class).orElse("127.0.0.1");
        String effectivePort = config.getOptionalValue("quarkus.http.port", String.class).orElse("7411");
        if (host != null && !host.equals(effectiveHost)) {
            err.println(Reason.errorLine("--host " + host + " was not applied (the server listens on " + effectiveHost + "): " + LAUNCHER_HINT));
            return ExitCodes.INVALID;
        }
        if (port != null && !port.strip().equals(effectivePort)) {
            err.println(Reason.errorLine("--port " + port + " was not applied (the server listens on " + effectivePort + "): " + LAUNCHER_HINT));
            return ExitCodes.INVALID;
        }
        boolean token = guard.configuredToken().isPresent();
        if (token && !AccessGuard.strongEnough(guard.configuredToken().get())) {
            err.println(Reason.errorLine(AccessGuard.weakTokenMessage(guard.configuredToken().get())));
            return ExitCodes.INVALID;
        }
        if (!AccessGuard.mayServe(effectiveHost, token)) {
            err.println(Reason.errorLine("--host " + effectiveHost + " is not loopback: set LO_SERVE_TOKEN (clients then send"
                    + " Authorization: Bearer <token>), or listen on 127.0.0.1"));
            return ExitCodes.INVALID;
        }
        String shownHost = effectiveHost.contains(":") ? "[" + effectiveHost + "]" : effectiveHost;
        err.println("lo serve: listening on http://" + shownHost + ":" + effectivePort
                + (token ? " (token required: Authorization: Bearer <LO_SERVE_TOKEN>)"
                : " (loopback only, no token required)"));
        String page = "http://" + shownHost + ":" + effectivePort + "/";
        err.println("lo serve: page " + (token ? page + "#token=<LO_SERVE_TOKEN> (the token stays in the browser)"
                : page));
        err.println("lo serve: API /api, OpenAPI /q/openapi, Swagger UI /q/swagger-ui, health /q/health,"
                + " metrics /q/metrics; Ctrl-C or SIGTERM stops it");
        err.flush();
        Quarkus.waitForExit();
        return ExitCodes.OK;
    }
}
