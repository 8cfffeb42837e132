package dev.lok8s.lo.cli;

import dev.lok8s.lo.events.ShortId;
import dev.lok8s.lo.config.LoConfig;
import dev.lok8s.lo.engine.EngineCalls;
import dev.lok8s.lo.failure.FailureKind;
import dev.lok8s.lo.plan.PlannedRegistry;
import dev.lok8s.lo.plan.RegistryPlan;
import dev.lok8s.lo.run.ProvisionService;
import dev.lok8s.lo.run.RunOutcome;
import dev.lok8s.lo.spec.SpecInvalidException;
import dev.lok8s.lo.store.EventStore;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.FutureTask;
import java.util.function.Consumer;
import java.util.function.Supplier;

/** How the commands that run a plan load their project and report the run's end. */
final class RunReport {

    private RunReport() {
    }

    /** Loads the spec and plan; an invalid spec is recorded as a rejected run of {@code command}, then rethrown. */
    static ProjectOptions.Project load(ProjectOptions project, LoConfig config, ProvisionService service,
                                       String command, OutputOptions output) {
        try {
            return project.load(config);
        } catch (SpecInvalidException e) {
            service.reject(project.domain(), null, command, e.getMessage(), output.commandLine());
            throw e;
        }
    }

    /**
     * {@link #load} while the store opens on a thread of its own: the run (or the record of an invalid
     * spec) needs it first thing, and opening it takes longer than reading the spec. What fails is what failed
     * when the store was opened after the spec was read: a store that cannot be opened, whatever the spec (its
     * exception as thrown); else the spec. A project that cannot be found at all is reported as such once the
     * store's opening, not needed then, has ended.
     */
    static ProjectOptions.Project loadWhileOpening(ProjectOptions project, LoConfig config, EventStore store,
                                                   Supplier<ProvisionService> service, String command,
                                                   OutputOptions output) {
        return loadWhileOpening(project, config, store, service, command, output, plan -> { });
    }

    /** @param planned told the plan once it is made, before the store is waited for */
    static ProjectOptions.Project loadWhileOpening(ProjectOptions project, LoConfig config, EventStore store,
                                                   Supplier<ProvisionService> service, String command,
                                                   OutputOptions output, Consumer<RegistryPlan> planned) {
        return whileOpening(() -> {
            ProjectOptions.Project loaded = project.load(config);
            planned.accept(loaded.plan());
            return loaded;
        }, store::machine, invalid -> service.get()
                .reject(project.domain(), null, command, invalid.getMessage(), output.commandLine()));
    }

    /**
     * {@code load} on this thread while {@code open} runs on another; a {@link SpecInvalidException} is handed to
     * {@code rejected} once {@code open} succeeded, then rethrown. Failures as in {@link #loadWhileOpening}.
     */
    static <T> T whileOpening(Supplier<T> load, Supplier<?> open, Consumer<SpecInvalidException> rejected) {
        FutureTask<Object> opening = EngineCalls.beside("lo-store-open", open::get);
        T loaded;
        try {
            loaded = load.get();
        } catch (SpecInvalidException e) {
            EngineCalls.join(opening, "opening the event store");
            rejected.accept(e);
            throw e;
        } catch (RuntimeException | Error e) {
            EngineCalls.settle(opening);
            throw e;
        }
        EngineCalls.join(opening, "opening the event store");
        return loaded;
    }

    /** Prints the outcome (text or JSON) and returns the exit code. */
    static int print(RunOutcome outcome, String command, OutputOptions output) {
        return print(outcome, command, output, null);
    }

    /**
     * Prints the outcome and, once the registries of {@code plan} are up, where the host pushes to and the
     * name nodes pull by; returns the exit code.
     */
    static int print(RunOutcome outcome, String command, OutputOptions output, RegistryPlan plan) {
        PlannedRegistry build = plan == null ? null : plan.build();
        boolean push = outcome.completed() && build != null && build.pushAddress() != null;
        String run = ShortId.of(outcome.runId());
        if (output.json()) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("runId", outcome.runId());
            json.put("command", command);
            json.put("status", outcome.completed() ? "completed"
                    : outcome.failure() == RunOutcome.Failure.REFUSED ? "rejected" : "failed");
            json.put("failedStep", outcome.failedStep());
            json.put("error", outcome.error());
            json.put("warnings", outcome.warnings());
            json.put("steps", outcome.steps());
            json.put("millis", outcome.millis());
            if (push) {
                Map<String, String> addresses = new LinkedHashMap<>();
                plan.registries().stream().filter(r -> r.pushAddress() != null)
                        .forEach(r -> addresses.put(r.name(), r.pushAddress()));
                json.put("pushAddresses", addresses);
            }
            output.printJson(json);
        } else if (outcome.completed()) {
            output.out().printf("lo %s: run %s completed in %s (%d warnings)%n", command, run,
                    StepProgress.seconds(outcome.millis()), outcome.warnings().size());
            if (push) {
                output.out().printf("push from this machine: docker push %s/IMAGE:TAG; pods pull %s/IMAGE:TAG%n",
                        build.pushAddress(), build.hostname());
                PlannedRegistry cache = plan.cache();
                if (cache.pushAddress() != null) {
                    output.out().printf("cache registry: docker push %s/IMAGE:TAG; pods pull %s/IMAGE:TAG%n",
                            cache.pushAddress(), cache.hostname());
                }
            }
            output.out().flush();
        }
        if (outcome.completed()) {
            return ExitCodes.OK;
        }
        output.err().println(outcome.errorLines());
        if (outcome.failure() != RunOutcome.Failure.REFUSED) {
            output.err().printf("run %s failed at %s; fix the cause and rerun lo %s (lo runs show %s)%n", run,
                    outcome.failedStep(), command, run);
        }
        output.err().flush();
        FailureKind kind = outcome.failure().kind();
        return kind == null ? ExitCodes.OK : kind.exitCode();
    }
}
