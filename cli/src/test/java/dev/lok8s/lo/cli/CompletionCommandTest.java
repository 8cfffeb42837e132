package dev.lok8s.lo.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** lo completion bash|zsh: the script, and real bash completing with it. */
class CompletionCommandTest {

    @Test
    void printsAScriptThatKnowsTheCommandTree() {
        for (String shell : List.of("bash", "zsh")) {
            Run run = run("completion", shell);
            assertThat(run.exit()).as("lo completion %s: %s", shell, run.err()).isZero();
            assertThat(run.out()).as("%s script", shell)
                    .contains("complete -F _complete_lo")
                    .contains("provision", "registry", "history", "runs", "completion")
                    .contains("bashcompinit")
                    .doesNotContain("train");
        }
        Run bad = run("completion", "fish");
        assertThat(bad.exit()).as("an unknown shell").isEqualTo(2);
        assertThat(bad.err()).contains("bash, zsh");
    }

    @Test
    void bashCompletesLoReg(@TempDir Path dir) throws Exception {
        Path bash = Path.of("/usr/bin/bash");
        assumeTrue(Files.isExecutable(bash), "bash is not installed");
        Path script = dir.resolve("lo.bash");
        Files.writeString(script, run("completion", "bash").out());

        assertThat(complete(bash, script, "lo reg")).as("lo reg<TAB>").isEqualTo("registry");
        assertThat(complete(bash, script, "lo registry ")).as("lo registry <TAB>")
                .isEqualTo("status up down clean usage warm prune");
        assertThat(complete(bash, script, "lo runs sh")).as("lo runs sh<TAB>").isEqualTo("show");
        assertThat(complete(bash, script, "lo history --ty")).as("an option").isEqualTo("--type");
        assertThat(complete(bash, script, "lo tr")).as("the hidden train is not offered").isEqualTo("trust");
    }

    /** What bash's completion function offers for {@code line} (the cursor at its end), space-separated. */
    private static String complete(Path bash, Path script, String line) throws IOException, InterruptedException {
        String program = """
                source "$1"
                read -r -a COMP_WORDS <<< "$2"
                [[ "$2" == *" " ]] && COMP_WORDS+=("")
                COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
                COMP_LINE="$2"
                COMP_POINT=${#COMP_LINE}
                # compopt complains outside a real completion (no readline here); the reply is unaffected
                _complete_lo 2>/dev/null
                echo "${COMPREPLY[*]}"
                """;
        Process p = new ProcessBuilder(bash.toString(), "--norc", "--noprofile", "-c", program, "bash",
                script.toString(), line).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("bash did not finish within 20 s");
        }
        assertThat(p.exitValue()).as("bash: %s", new String(out, StandardCharsets.UTF_8)).isZero();
        return new String(out, StandardCharsets.UTF_8).strip();
    }

    private record Run(int exit, String out, String err) {
    }

    private static Run run(String... args) {
        CommandLine lo = new CommandLine(LoCommand.class);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        lo.setOut(new PrintWriter(out, true));
        lo.setErr(new PrintWriter(err, true));
        int exit = lo.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }
}
