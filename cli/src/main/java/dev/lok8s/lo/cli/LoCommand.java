package dev.lok8s.lo.cli;

import io.quarkus.picocli.runtime.annotations.TopCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.ScopeType;

/**
 * The top command. {@code scope = INHERIT} hands -h/--help and -V/--version (with lo's version) down
 * to every subcommand at any depth, including ones added later.
 */
@TopCommand
@Command(name = "lo", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, scope = ScopeType.INHERIT,
        subcommands = {
                ProvisionCommand.class,
                ResumeCommand.class,
                HistoryCommand.class,
                RunsCommand.class,
                ProjectionsCommand.class,
                RegistryCommand.class,
                DestroyCommand.class,
                DoctorCommand.class,
                TrustCommand.class,
                TrainCommand.class,
                ServeHintCommand.class,
                CompletionCommand.class,
        },
        description = "Shared registry mirrors beside local kind clusters, with a queryable history.")
public class LoCommand {
}
