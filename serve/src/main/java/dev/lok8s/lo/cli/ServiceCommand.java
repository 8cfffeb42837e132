package dev.lok8s.lo.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.ScopeType;

/**
 * The top command of the service build (serve/): {@code lo serve} and nothing else. Chosen with
 * {@code quarkus.picocli.top-command} in serve's application.properties, so the command-line
 * build's {@link LoCommand} stays out of this build's way; the launcher passes the arguments
 * through unchanged.
 */
@Command(name = "lo", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, scope = ScopeType.INHERIT,
        subcommands = ServeCommand.class,
        description = "lo's service build: the projections over HTTP (lo serve).")
public class ServiceCommand {
}
