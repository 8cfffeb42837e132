package dev.lok8s.lo.cli;

import dev.lok8s.lo.failure.Reason;
import dev.lok8s.lo.store.EventStore;
import dev.lok8s.lo.store.StoreException;
import jakarta.inject.Inject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "projections", description = "Maintain the read models derived from the event log.",
        subcommands = ProjectionsCommand.Rebuild.class)
public class ProjectionsCommand {

    @Command(name = "rebuild", description = "Empty the read models and replay the whole log into them.")
    static class Rebuild implements Callable<Integer> {

        @Mixin
        OutputOptions output;

        @Inject
        EventStore store;

        @Override
        public Integer call() {
            try {
                long started = System.nanoTime();
                long events = store.rebuildProjections();
                long ms = (System.nanoTime() - started) / 1_000_000;
                if (output.json()) {
                    output.printJson(Map.of("events", events, "millis", ms));
                } else {
                    output.out().println("rebuilt read models from " + events + " events in " + ms + " ms");
                    output.out().flush();
                }
                return ExitCodes.OK;
            } catch (StoreException e) {
                output.err().println(Reason.errorLine(e.getMessage()));
                return ExitCodes.FAILED;
            }
        }
    }
}
