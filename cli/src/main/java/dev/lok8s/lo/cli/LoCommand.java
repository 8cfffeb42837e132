package dev.lok8s.lo.cli;

import io.quarkus.picocli.runtime.annotations.TopCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.ScopeType;

@TopCommand
// scope INHERIT: -h/--help and -V/--version work on every subcommand too (lo runs --help)
@Command(name = "lo", mixinStandardHelpOptions = true, versionProvider = LoVersion.class, scope = ScopeType.INHERIT,
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
        },
        description = "Shared registry mirrors beside local kind clusters, with a queryable history.")
public class LoCommand {
}
