package dev.lok8s.lo.cli;

import dev.lok8s.lo.config.LoConfig;
import dev.lok8s.lo.run.ProvisionService;
import picocli.CommandLine.Option;

import java.time.Clock;

/** How a command that provisions runs: {@code --fresh} and {@code --wait}. Mixed into provision and registry up. */
public class RunOptions {

    @Option(names = "--fresh", description = "Start a new run instead of resuming a failed or interrupted one.")
    boolean fresh;

    @Option(names = "--wait", description = "Wait for another run of this project to finish instead of exiting.")
    boolean waitForLease;

    /** The run's options: these flags, the command line as typed, and the configured parallelism. */
    ProvisionService.Options options(OutputOptions output, LoConfig config) {
        return new ProvisionService.Options(fresh, waitForLease, output.commandLine(), config.parallelism(),
                Clock.systemUTC());
    }
}
