package dev.lok8s.lo.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The usage texts the launcher prints without a JVM are what lo prints for the same request. */
class HelpTextsTest {

    @Test
    void everyCommandHasBothRenderingsOfItsUsage() {
        Map<String, String> texts = HelpTexts.texts();
        List<List<String>> paths = new ArrayList<>();
        CommandTreeHelpTest.collect(new CommandLine(LoCommand.class), new ArrayList<>(), paths);
        for (List<String> path : paths) {
            String name = String.join("_", concat("lo", path));
            if (!path.isEmpty() && path.getFirst().equals("serve")) {
                assertThat(texts).as("lo serve is the service build's: no text").doesNotContainKeys(name + ".txt", name + ".ansi");
                continue;
            }
            assertThat(texts).as("lo %s --help", String.join(" ", path)).containsKeys(name + ".txt", name + ".ansi");
        }
        assertThat(texts).containsKeys("lo.txt", "lo_registry_status.txt", "lo_runs_show.ansi");
    }

    @Test
    void thePlainTextIsWhatTheCommandLinePrintsWhenNotOnATerminal() {
        Map<String, String> texts = HelpTexts.texts();
        for (String request : List.of("--help", "registry status --help", "runs show --help", "provision --help")) {
            String[] args = request.split(" ");
            StringWriter out = new StringWriter();
            CommandLine full = new CommandLine(LoCommand.class).setOut(new PrintWriter(out))
                    .setColorScheme(CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.AUTO));
            CommandLine.executeHelpRequest(full.parseArgs(args));
            List<String> path = Arrays.asList(args).subList(0, args.length - 1);
            assertThat(texts.get(String.join("_", concat("lo", path)) + ".txt")).as("lo %s", request)
                    .isEqualTo(out.toString()).isNotBlank().doesNotContain("\u001b[");
        }
    }

    @Test
    void theStyledTextIsThePlainOneWithAnsiStyles() {
        Map<String, String> texts = HelpTexts.texts();
        texts.forEach((name, text) -> {
            if (name.endsWith(".ansi")) {
                assertThat(text).as(name).contains("\u001b[");
                String plain = texts.get(name.replaceFirst("\\.ansi$", ".txt"));
                assertThat(text.replaceAll("\u001b\\[[0-9;]*m", "")).as("%s without its styles", name).isEqualTo(plain);
            }
        });
    }

    private static List<String> concat(String first, List<String> rest) {
        List<String> all = new ArrayList<>();
        all.add(first);
        all.addAll(rest);
        return all;
    }
}
