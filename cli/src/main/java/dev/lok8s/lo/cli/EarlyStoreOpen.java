package dev.lok8s.lo.cli;

import dev.lok8s.lo.store.StoreBeans;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.annotations.CommandLineArguments;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import picocli.CommandLine.Command;

import java.util.Arrays;
import java.util.Map;
import java.util.Set;

/**
 * When Quarkus has started and before picocli builds the command's model, a command that will use
 * the store has it opened beside the model, the spec and the plan ({@link StoreBeans#openEarly}).
 * Which commands those are is read from the command line's first words alone (picocli has not
 * parsed it yet): a command that never uses the store ({@code completion}, {@code trust},
 * {@code serve}, a group without its subcommand, a request for help) or a line this cannot place
 * (an option before the command's name, an unknown name) opens nothing early; the command then
 * opens the store when it first uses it, as it always did.
 */
@ApplicationScoped
public class EarlyStoreOpen {

    /** The top-level commands that use the store whatever their options (provision's --dry-run reads the log too). */
    static final Set<Class<?>> USE_THE_STORE = Set.of(ProvisionCommand.class, ResumeCommand.class, HistoryCommand.class,
            RunsCommand.class, DestroyCommand.class, DoctorCommand.class, TrainCommand.class);

    /** Groups whose named subcommands use the store: {@code lo registry} alone only prints its usage. */
    static final Map<Class<?>, Set<String>> GROUPS = Map.of(
            RegistryCommand.class, Set.of("status", "up", "down", "clean", "usage", "warm", "prune"),
            ProjectionsCommand.class, Set.of("rebuild"));

    void onStart(@Observes StartupEvent started, @CommandLineArguments String[] args, StoreBeans store) {
        if (usesTheStore(args)) {
            store.openEarly();
        }
    }

    /** Whether the command {@code args} name certainly uses the store. */
    static boolean usesTheStore(String[] args) {
        if (args.length == 0 || LoMain.mentionsHelp(args)) {
            return false;
        }
        Class<?> top = CommandModel.topLevel(args[0]);
        if (top == null) {
            return false;
        }
        if (USE_THE_STORE.contains(top)) {
            return true;
        }
        Set<String> subcommands = GROUPS.get(top);
        if (subcommands == null || args.length < 2) {
            return false;
        }
        String subcommand = subcommandName(top, args[1]);
        return subcommand != null && subcommands.contains(subcommand);
    }

    /** The name of the subcommand of {@code group} that {@code word} names or aliases; null when none. */
    private static String subcommandName(Class<?> group, String word) {
        return Arrays.stream(group.getAnnotation(Command.class).subcommands())
                .map(c -> c.getAnnotation(Command.class))
                .filter(c -> c != null && (word.equals(c.name()) || Arrays.asList(c.aliases()).contains(word)))
                .map(Command::name)
                .findFirst().orElse(null);
    }
}
