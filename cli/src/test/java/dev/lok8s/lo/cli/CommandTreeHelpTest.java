package dev.lok8s.lo.cli;

import dev.lok8s.lo.version.LoVersion;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every command and subcommand of the real {@link LoCommand} tree, hidden ones included, answers
 * -h and --help with its usage and exit 0. The tree is walked from picocli's own model, so a
 * subcommand added later is covered without touching this test.
 */
class CommandTreeHelpTest {

    @TestFactory
    Stream<DynamicTest> everyCommandAnswersHelp() {
        List<List<String>> paths = new ArrayList<>();
        collect(new CommandLine(LoCommand.class), new ArrayList<>(), paths);
        assertThat(paths).as("the walk found the tree").extracting(p -> String.join(" ", p))
                .contains("", "history", "runs show", "projections rebuild", "registry status", "serve", "train");
        return paths.stream().flatMap(path -> Stream.of("-h", "--help").map(flag -> DynamicTest.dynamicTest(
                ("lo " + String.join(" ", path) + " " + flag).replaceAll(" +", " "), () -> {
                    Run run = run(path, flag);
                    String qualified = ("lo " + String.join(" ", path)).strip();
                    assertThat(run.exit()).as("%s %s exit code; stderr: %s", qualified, flag, run.err()).isZero();
                    assertThat(run.out()).as("%s %s usage", qualified, flag).startsWith("Usage: " + qualified)
                            .contains("-h, --help");
                    assertThat(run.err()).as("%s %s stderr", qualified, flag).isEmpty();
                })));
    }

    @Test
    void versionAtTheTop() {
        Run run = run(List.of(), "--version");
        assertThat(run.exit()).as("exit").isZero();
        assertThat(run.out()).as("version").startsWith("lo " + LoVersion.current());
    }

    /** Every command's path from the root, each command once (aliases skipped); LoMainTest walks the same tree. */
    static void collect(CommandLine command, List<String> path, List<List<String>> paths) {
        paths.add(List.copyOf(path));
        command.getSubcommands().forEach((name, sub) -> {
            // aliases appear as extra keys: visit each command once, under its own name
            if (!name.equals(sub.getCommandName())) {
                return;
            }
            List<String> next = new ArrayList<>(path);
            next.add(name);
            collect(sub, next, paths);
        });
    }

    private record Run(int exit, String out, String err) {
    }

    private static Run run(List<String> path, String flag) {
        CommandLine lo = new CommandLine(LoCommand.class);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        lo.setOut(new PrintWriter(out, true));
        lo.setErr(new PrintWriter(err, true));
        List<String> args = new ArrayList<>(path);
        args.add(flag);
        int exit = lo.execute(args.toArray(String[]::new));
        return new Run(exit, out.toString(), err.toString());
    }
}
