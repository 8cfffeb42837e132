package dev.lok8s.lo.spec;

/**
 * One problem in a {@code cluster.lok8s.yaml}.
 *
 * @param path    a YAML path such as {@code spec.registries.mirrors[2].name}; empty for the file as a whole
 * @param message what is wrong and what would be valid; control characters escaped and long values cut
 *                ({@link SafeText#shown})
 */
public record SpecError(String path, String message) {

    public SpecError {
        path = path == null ? "" : SafeText.shown(path);
        // messages quote what the user wrote: printed on a terminal and recorded in the log, never raw
        message = SafeText.shown(message);
    }
}
