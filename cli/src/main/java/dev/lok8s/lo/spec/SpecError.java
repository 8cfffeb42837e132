package dev.lok8s.lo.spec;

/**
 * One problem in a {@code cluster.lok8s.yaml}.
 *
 * @param path    a YAML path such as {@code spec.registries.mirrors[2].name}; empty for the file as a whole
 * @param message what is wrong and what would be valid
 */
public record SpecError(String path, String message) {

    public SpecError {
        path = path == null ? "" : path;
    }
}
