package dev.lok8s.lo.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine;

import java.util.Arrays;
import java.util.Set;

/**
 * picocli's model of the command that runs, not of every command: {@code lo registry status}
 * builds {@code lo} and the {@code registry} subtree, the other top-level commands stay unbuilt
 * (picocli builds a model by reflection over every option of every class, in every process).
 * Help and usage are answered elsewhere from the full model ({@link LoMain}, the launcher's texts);
 * whatever this cannot place (no command name first, an unknown name, a command that reads the
 * whole tree) gets the full model, so picocli's own messages are unchanged.
 */
final class CommandModel {

    /** Commands that read the whole tree of commands. */
    private static final Set<Class<?>> NEED_ALL = Set.of(CompletionCommand.class, TrainCommand.class);

    private CommandModel() {
    }

    static CommandLine forArguments(String[] args, CommandLine.IFactory factory) {
        Class<?> chosen = args.length == 0 ? null : topLevel(args[0]);
        if (chosen == null || NEED_ALL.contains(chosen)) {
            return new CommandLine(LoCommand.class, factory);
        }
        // lo's own attributes (name, version, inherited -h/-V, description) from its annotation,
        // then the one subcommand: picocli hands inherited options down as it does for the full tree.
        CommandSpec top;
        try {
            top = CommandSpec.wrapWithoutInspection(factory.create(LoCommand.class), factory);
        } catch (Exception e) {
            throw new IllegalStateException("cannot create the top command: " + e.getMessage(), e);
        }
        Command annotation = LoCommand.class.getAnnotation(Command.class);
        top.updateCommandAttributes(annotation, factory);
        // not among the attributes updateCommandAttributes copies: set before the subcommand is added,
        // which then inherits -h/-V as in the full tree
        top.scopeType(annotation.scope());
        top.mixinStandardHelpOptions(annotation.mixinStandardHelpOptions());
        CommandLine line = new CommandLine(top, factory);
        line.addSubcommand(new CommandLine(chosen, factory));
        return line;
    }

    /** The top-level command class named (or aliased) {@code name}, or null. */
    static Class<?> topLevel(String name) {
        return Arrays.stream(LoCommand.class.getAnnotation(Command.class).subcommands())
                .filter(c -> {
                    Command command = c.getAnnotation(Command.class);
                    return command != null && (name.equals(command.name()) || Arrays.asList(command.aliases()).contains(name));
                })
                .findFirst().orElse(null);
    }
}
