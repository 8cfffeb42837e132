package dev.lok8s.lo.spec;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A spec that cannot be used, with every problem found in it. The message has one line per
 * error, {@code <file>: <path>: <message>}; the file or path part is left out when there is none
 * (a spec that could not be located has no file, a file that is not YAML has no path).
 */
public class SpecInvalidException extends RuntimeException {

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

    private static String render(Path file, List<SpecError> errors) {
        return errors.stream().map(e -> line(file, e)).collect(Collectors.joining("\n"));
    }

    private static String line(Path file, SpecError error) {
        StringBuilder line = new StringBuilder();
        if (file != null) {
            line.append(file).append(": ");
        }
        if (!error.path().isEmpty()) {
            line.append(error.path()).append(": ");
        }
        return line.append(error.message()).toString();
    }
}
