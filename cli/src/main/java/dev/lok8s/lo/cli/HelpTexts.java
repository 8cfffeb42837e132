package dev.lok8s.lo.cli;

import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes the usage text of every command, at build time ({@code deploy/aot-train.sh}), so that the
 * launcher prints {@code lo [COMMAND...] --help} without starting a JVM (docs/building.md). Each
 * text is what {@link LoMain} answers for that request, in both of picocli's renderings: plain
 * ({@code NAME.txt}, output not a terminal) and with ANSI styles ({@code NAME.ansi}). NAME is the
 * command path joined by {@code _}: {@code lo}, {@code lo_registry_status}.
 * <pre>java -cp quarkus-run.jar dev.lok8s.lo.cli.HelpTexts DIR</pre>
 */
public final class HelpTexts {

    private HelpTexts() {
    }

    public static void main(String... args) throws IOException {
        if (args.length != 1) {
            // a build step, not a command: nothing prints but picocli's renderings
            throw new IllegalArgumentException("usage: HelpTexts DIR");
        }
        Path dir = Path.of(args[0]);
        Files.createDirectories(dir);
        for (var text : texts().entrySet()) {
            Files.writeString(dir.resolve(text.getKey()), text.getValue(), StandardCharsets.UTF_8);
        }
    }

    /** File name to content, for every command path (aliases included) and both renderings. */
    static Map<String, String> texts() {
        List<List<String>> paths = new ArrayList<>();
        collect(new CommandLine(LoCommand.class), new ArrayList<>(), paths);
        Map<String, String> texts = new TreeMap<>();
        String serve = ServeHintCommand.class.getAnnotation(CommandLine.Command.class).name();
        for (List<String> path : paths) {
            if (!path.isEmpty() && path.getFirst().equals(serve)) {
                continue;  // the launcher runs the service build for these (its own usage)
            }
            List<String> args = new ArrayList<>(path);
            args.add("--help");
            String name = String.join("_", prefixed(path));
            texts.put(name + ".txt", usage(args, CommandLine.Help.Ansi.OFF));
            texts.put(name + ".ansi", usage(args, CommandLine.Help.Ansi.ON));
        }
        return texts;
    }

    /** What {@link LoMain#answerHelp} prints for {@code args} in that rendering. */
    static String usage(List<String> args, CommandLine.Help.Ansi ansi) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Integer code = LoMain.answerHelp(args.toArray(String[]::new), new PrintWriter(out), new PrintWriter(err),
                line -> line.setColorScheme(CommandLine.Help.defaultColorScheme(ansi))).orElse(null);
        if (code == null || code != 0 || !err.toString().isEmpty()) {
            throw new IllegalStateException("lo " + String.join(" ", args) + " is not answered as usage (" + code + "): " + err);
        }
        return out.toString();
    }

    private static List<String> prefixed(List<String> path) {
        List<String> names = new ArrayList<>();
        names.add("lo");
        names.addAll(path);
        return names;
    }

    private static void collect(CommandLine command, List<String> path, List<List<String>> paths) {
        paths.add(List.copyOf(path));
        command.getSubcommands().forEach((name, sub) -> {
            List<String> next = new ArrayList<>(path);
            next.add(name);  // aliases too: the launcher looks a request up by what was typed
            collect(sub, next, paths);
        });
    }
}
