package dev.lok8s.lo.cli;

import io.quarkus.picocli.runtime.PicocliRunner;
import io.quarkus.runtime.Quarkus;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The command-line build's entry point ({@code quarkus.package.main-class} in cli/pom.xml). A
 * request for usage or version ({@code lo --help}, {@code lo runs show -h}, {@code lo -V}) is
 * answered from picocli's model of the same command classes without starting Quarkus: help
 * needs no configuration, store or container, and starting them is most of what {@code --help}
 * would cost. Everything else, including arguments picocli cannot parse (its error message
 * comes from the usual path), starts Quarkus and runs the command as before, through the
 * picocli extension's runner.
 */
public final class LoMain {

    private LoMain() {
    }

    public static void main(String... args) {
        Optional<Integer> answered = answerHelp(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true));
        if (answered.isPresent()) {
            if (answered.get() != 0) {
                System.exit(answered.get());
            }
            return;
        }
        Quarkus.run(PicocliRunner.class, args);
    }

    /**
     * Prints the usage or version that {@code args} ask for, exactly as the full command line would
     * (the same model, the same picocli help request), and returns the exit code; empty when
     * {@code args} ask for something else or do not parse.
     */
    static Optional<Integer> answerHelp(String[] args, PrintWriter out, PrintWriter err) {
        return answerHelp(args, out, err, line -> { });
    }

    /** @param styled sets up the model before it parses (HelpTexts chooses picocli's rendering) */
    static Optional<Integer> answerHelp(String[] args, PrintWriter out, PrintWriter err,
                                        Consumer<CommandLine> styled) {
        if (!mentionsHelp(args)) {
            return Optional.empty();  // not even the command model is built
        }
        CommandLine commandLine = new CommandLine(LoCommand.class).setOut(out).setErr(err);
        styled.accept(commandLine);
        CommandLine.ParseResult parsed;
        try {
            parsed = commandLine.parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            return Optional.empty();
        }
        Integer code = CommandLine.executeHelpRequest(parsed);
        out.flush();
        err.flush();
        return Optional.ofNullable(code);
    }

    /** Whether any argument is a help or version option (-h, --help, -V, --version, or clustered: -hV). */
    static boolean mentionsHelp(String[] args) {
        for (String arg : args) {
            if (arg.equals("--")) {
                return false;  // what follows is positional
            }
            if (arg.equals("--help") || arg.equals("--version")
                    || (arg.startsWith("-") && !arg.startsWith("--") && (arg.indexOf('h') > 0 || arg.indexOf('V') > 0))) {
                return true;
            }
        }
        return false;
    }
}
