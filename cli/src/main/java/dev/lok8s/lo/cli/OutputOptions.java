package dev.lok8s.lo.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;

/**
 * The one owner of stdout and stderr for a command: data goes to {@link #out()} as text or
 * JSON ({@code -o}), diagnostics to {@link #err()}. Mixed into every command that prints data.
 */
public class OutputOptions {

    public enum Format { text, json }

    /** Made on first use: every command mixes these options in, few print JSON (and help never does). */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper()
                .registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .enable(SerializationFeature.INDENT_OUTPUT);
    }

    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Option(names = {"-o", "--output"}, defaultValue = "text", paramLabel = "text|json",
            description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Format format = Format.text;

    public Format format() {
        return format;
    }

    public boolean json() {
        return format == Format.json;
    }

    public PrintWriter out() {
        return mixee.commandLine().getOut();
    }

    public PrintWriter err() {
        return mixee.commandLine().getErr();
    }

    /** The command line as typed ({@code lo provision lok8s.dev}), for event metadata. */
    public String commandLine() {
        var parsed = mixee.root().commandLine().getParseResult();
        return parsed == null ? "lo " + mixee.qualifiedName() : "lo " + String.join(" ", parsed.originalArgs());
    }

    /** Writes a value as indented JSON followed by a newline. */
    public void printJson(Object value) {
        try {
            out().println(Json.MAPPER.writeValueAsString(value));
            out().flush();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render JSON: " + e.getMessage(), e);
        }
    }

    public static ObjectMapper jsonMapper() {
        return Json.MAPPER;
    }
}
