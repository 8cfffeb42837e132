package dev.lok8s.lo.cli;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link LoMain} answers help and version requests without Quarkus (this test starts none) with
 * exactly what the full command line prints for them, and leaves every other command line alone.
 */
class LoMainTest {

    @TestFactory
    Stream<DynamicTest> everyHelpRequestIsAnsweredAsTheFullCommandLineWould() {
        List<List<String>> requests = new ArrayList<>();
        CommandTreeHelpTest.collect(new CommandLine(LoCommand.class), new ArrayList<>(), requests);
        List<List<String>> withFlags = new ArrayList<>();
        for (List<String> path : requests) {
            for (String flag : List.of("-h", "--help")) {
                List<String> args = new ArrayList<>(path);
                args.add(flag);
                withFlags.add(args);
            }
        }
        withFlags.add(List.of("--version"));
        withFlags.add(List.of("-V"));
        withFlags.add(List.of("--help", "runs"));          // help of the top command, as picocli reads it
        withFlags.add(List.of("history", "--help", "--limit", "5"));
        withFlags.add(List.of("runs", "show", "--help"));  // the required run id is not asked for with --help
        return withFlags.stream().map(args -> DynamicTest.dynamicTest("lo " + String.join(" ", args), () -> {
            Run fast = fast(args);
            Run full = full(args);
            assertThat(fast.exit()).as("answered, with the full command line's exit code").isEqualTo(full.exit());
            assertThat(fast.out()).as("stdout").isEqualTo(full.out()).isNotEmpty();
            assertThat(fast.err()).as("stderr").isEqualTo(full.err());
        }));
    }

    @Test
    void commandsThatAskForNoHelpAreLeftToTheFullCommandLine() {
        for (List<String> args : List.of(List.<String>of(), List.of("runs"), List.of("history", "--limit", "5"),
                List.of("provision", "lok8s.dev", "--dry-run", "-o", "json"), List.of("registry", "warm", "-f", "images.txt"),
                List.of("completion", "bash"))) {
            Run fast = fast(args);
            assertThat(fast.exit()).as("lo %s", args).isEmpty();
            assertThat(fast.out() + fast.err()).as("lo %s prints nothing itself", args).isEmpty();
        }
    }

    @Test
    void commandLinesWithErrorsAreLeftToTheFullCommandLineUnlessPicocliItselfAnswersThemWithHelp() {
        for (List<String> args : List.of(List.of("--bogus", "--help"), List.of("nosuchcommand", "-h"),
                List.of("history", "--nosuch", "-h"), List.of("-oh"), List.of("history", "--limit"))) {
            Run fast = fast(args);
            Run full = full(args);
            if (fast.exit().isPresent()) {
                // picocli ignores some errors once help is asked for: then the answer must be the same
                assertThat(fast).as("lo %s", args).isEqualTo(full);
            } else {
                assertThat(fast.out() + fast.err()).as("lo %s prints nothing itself", args).isEmpty();
            }
        }
        assertThat(fast(List.of("-oh")).exit()).as("an error without a help request").isEmpty();
    }

    @Test
    void onlyArgumentsThatLookLikeHelpOrVersionBuildTheModel() {
        assertThat(LoMain.mentionsHelp(new String[] {"runs", "--help"})).isTrue();
        assertThat(LoMain.mentionsHelp(new String[] {"-hV"})).isTrue();
        assertThat(LoMain.mentionsHelp(new String[] {"-V"})).isTrue();
        assertThat(LoMain.mentionsHelp(new String[] {"history", "--since", "1h"})).isFalse();
        assertThat(LoMain.mentionsHelp(new String[] {"registry", "warm", "--", "-h"})).isFalse();
        assertThat(LoMain.mentionsHelp(new String[] {"runs"})).isFalse();
    }

    private record Run(Optional<Integer> exit, String out, String err) {
    }

    private static Run fast(List<String> args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Optional<Integer> exit = LoMain.answerHelp(args.toArray(String[]::new), new PrintWriter(out, true),
                new PrintWriter(err, true));
        return new Run(exit, out.toString(), err.toString());
    }

    /** What the full command line prints: the same command tree, executed by picocli as the runner does. */
    private static Run full(List<String> args) {
        CommandLine lo = new CommandLine(LoCommand.class);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        lo.setOut(new PrintWriter(out, true));
        lo.setErr(new PrintWriter(err, true));
        int exit = lo.execute(args.toArray(String[]::new));
        return new Run(Optional.of(exit), out.toString(), err.toString());
    }
}
