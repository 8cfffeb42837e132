package dev.lok8s.lo.spec;

import dev.lok8s.lo.failure.Failing;
import dev.lok8s.lo.failure.FailureKind;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A spec that cannot be used, with every problem found in it. The message has one line per
 * error, {@code <file>: <path>: <message>}; the file or path part is left out when there is none
 * (a spec that could not be located has no file, a file that is not YAML has no path). At most
 * {@value #MAX_SHOWN} errors are in the message, then one line counting the rest.
 */
public class SpecInvalidException extends RuntimeException implements Failing {

    @Override
    public FailureKind kind() {
        return FailureKind.BAD_INPUT;
    }

    private final transient Path file;
    private final List<SpecError> errors;

    public SpecInvalidException(Path file, List<SpecError> errors) {
        super(render(file, errors));
        if (errors.isEmpty()) {
            throw new IllegalArgumentException("a SpecInvalidException needs at least one error");
        }
        this.file = file;
        this.errors = List.copyOf(errors);
    }

    public SpecInvalidException(Path file, SpecError error) {
        this(file, List.of(error));
    }

    /** The file the errors are in, or null when no file was found. */
    public Path file() {
        return file;
    }

    public List<SpecError> errors() {
        return errors;
    }

    /** At most this many errors are shown (and recorded); a last line says how many more there are. */
    public static final int MAX_SHOWN = 20;

    private static String render(Path file, List<SpecError> errors) {
        String shown = errors.stream().limit(MAX_SHOWN).map(e -> line(file, e)).collect(Collectors.joining("\n"));
        int more = errors.size() - MAX_SHOWN;
        return more <= 0 ? shown : shown + "\n" + (file != null ? SafeText.shown(file.toString()) + ": " : "")
                + "... and " + more + " more error" + (more == 1 ? "" : "s") + " (fix the ones above and run again)";
    }

    private static String line(Path file, SpecError error) {
        StringBuilder line = new StringBuilder();
        if (file != null) {
            line.append(SafeText.shown(file.toString())).append(": ");
        }
        if (!error.path().isEmpty()) {
            line.append(error.path()).append(": ");
        }
        return line.append(error.message()).toString();
    }
}
