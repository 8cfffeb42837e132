package dev.lok8s.lo.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The model built for one command behaves as the full model does for that command. */
class CommandModelTest {

    @Test
    void everyCommandOfTheTreeHasTheSameModelAsInTheFullTree() {
        List<List<String>> paths = new ArrayList<>();
        CommandTreeHelpTest.collect(new CommandLine(LoCommand.class), new ArrayList<>(), paths);
        int compared = 0;
        for (List<String> path : paths) {
            if (path.isEmpty()) {
                continue;
            }
            CommandLine pruned = CommandModel.forArguments(path.toArray(String[]::new), CommandLine.defaultFactory());
            CommandLine full = new CommandLine(LoCommand.class);
            CommandLine inPruned = find(pruned, path);
            CommandLine inFull = find(full, path);
            assertThat(inPruned.getCommandSpec().qualifiedName()).isEqualTo(inFull.getCommandSpec().qualifiedName());
            assertThat(usage(inPruned)).as("lo %s", String.join(" ", path)).isEqualTo(usage(inFull));
            assertThat(inPruned.getCommandSpec().options().stream().map(o -> o.longestName()).toList())
                    .as("options of lo %s, inherited ones included", String.join(" ", path))
                    .isEqualTo(inFull.getCommandSpec().options().stream().map(o -> o.longestName()).toList());
            compared++;
        }
        assertThat(compared).isGreaterThan(15);
    }

    @Test
    void onlyTheCommandThatRunsIsBuilt() {
        CommandLine pruned = CommandModel.forArguments(new String[] {"registry", "status", "lok8s.dev"}, CommandLine.defaultFactory());
        assertThat(pruned.getSubcommands()).containsOnlyKeys("registry");
        assertThat(pruned.getSubcommands().get("registry").getSubcommands()).containsKeys("status", "up", "warm");
        assertThat(pruned.getCommandSpec().version()).as("lo's version provider").isNotEmpty();
    }

    @Test
    void whatCannotBePlacedGetsTheFullModel() {
        int all = new CommandLine(LoCommand.class).getSubcommands().size();
        for (String[] args : List.of(new String[0], new String[] {"nosuch"}, new String[] {"-V"}, new String[] {"--fresh", "provision"},
                new String[] {"completion", "bash"}, new String[] {"train"})) {
            assertThat(CommandModel.forArguments(args, CommandLine.defaultFactory()).getSubcommands()).as("lo %s", List.of(args))
                    .hasSize(all);
        }
    }

    @Test
    void parseErrorsReadAsWithTheFullModel() {
        for (String[] args : List.of(new String[] {"history", "--limit"}, new String[] {"registry", "nosuch"},
                new String[] {"runs", "--bogus"}, new String[] {"provision", "a", "b", "c"})) {
            assertThat(errorOf(CommandModel.forArguments(args, CommandLine.defaultFactory()), args)).as("lo %s", List.of(args))
                    .isEqualTo(errorOf(new CommandLine(LoCommand.class), args)).isNotEmpty();
        }
    }

    private static String errorOf(CommandLine line, String[] args) {
        StringWriter err = new StringWriter();
        line.setErr(new PrintWriter(err)).setOut(new PrintWriter(new StringWriter()));
        line.setExecutionStrategy(parsed -> 0);
        line.execute(args);
        return err.toString();
    }

    private static CommandLine find(CommandLine root, List<String> path) {
        CommandLine at = root;
        for (String name : path) {
            at = at.getSubcommands().get(name);
        }
        return at;
    }

    private static String usage(CommandLine line) {
        StringWriter out = new StringWriter();
        line.usage(new PrintWriter(out), CommandLine.Help.Ansi.OFF);
        return out.toString();
    }
}
