package dev.lok8s.lo.spec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Writes specs into a temporary directory and parses them. */
final class SpecFixture {

    static final String HEADER = """
            apiVersion: cluster.lok8s.dev/v1beta1
            kind: Lo
            metadata:
              name: demo
            """;

    private final Path dir;
    private int files;

    SpecFixture(Path dir) {
        this.dir = dir;
    }

    /** A file holding the header and, when given, a spec section with the body indented under it. */
    Path withSpec(String specBody) {
        String spec = specBody == null ? "" : "spec:\n" + specBody.stripTrailing().indent(2);
        return write(HEADER + spec);
    }

    Path write(String content) {
        try {
            return Files.writeString(dir.resolve("cluster-" + (++files) + ".lok8s.yaml"), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    ClusterSpec parse(Path file) {
        return new SpecParser().parse(file, null);
    }

    ClusterSpec parse(Path file, String domain) {
        return new SpecParser().parse(file, domain);
    }

    SpecInvalidException invalid(Path file, String domain) {
        SpecInvalidException thrown = catchThrowableOfType(SpecInvalidException.class,
                () -> new SpecParser().parse(file, domain));
        assertThat(thrown).as("parsing %s should fail", file.getFileName()).isNotNull();
        return thrown;
    }

    /** The errors of a spec body that must not parse. */
    List<SpecError> errorsOf(String specBody) {
        return invalid(withSpec(specBody), null).errors();
    }

    /** The one error at a path; fails when there is none or several. */
    static SpecError errorAt(List<SpecError> errors, String path) {
        List<SpecError> at = errors.stream().filter(e -> e.path().equals(path)).toList();
        assertThat(at).as("errors at %s among %s", path, errors).hasSize(1);
        return at.getFirst();
    }
}
