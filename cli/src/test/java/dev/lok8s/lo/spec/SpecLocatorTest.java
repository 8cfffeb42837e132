package dev.lok8s.lo.spec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class SpecLocatorTest {

    @TempDir
    Path project;
    final SpecLocator locator = new SpecLocator();

    private Path spec(String domain) throws IOException {
        Path file = project.resolve("clusters").resolve(domain).resolve("cluster.lok8s.yaml");
        Files.createDirectories(file.getParent());
        return Files.writeString(file, SpecBuilder.HEADER);
    }

    private SpecError failure(Path workingDir, String domain, Path explicit) {
        SpecInvalidException thrown = catchThrowableOfType(SpecInvalidException.class,
                () -> locator.locate(workingDir, domain, explicit));
        assertThat(thrown).as("locating %s", domain).isNotNull();
        assertThat(thrown.errors()).as("one error").hasSize(1);
        assertThat(thrown.getMessage()).as("message is the error").isEqualTo(thrown.errors().getFirst().message());
        return thrown.errors().getFirst();
    }

    @Test
    void finds_the_spec_of_a_domain_under_clusters() throws IOException {
        Path file = spec("50.lok8s.dev");

        assertThat(locator.locate(project, "50.lok8s.dev", null)).as("50.lok8s.dev").isEqualTo(file);
    }

    @Test
    void the_default_domain_is_lok8s_dev() throws IOException {
        Path file = spec("lok8s.dev");

        assertThat(locator.locate(project, null, null)).as("null domain").isEqualTo(file);
    }

    @Test
    void an_explicit_file_wins() throws IOException {
        spec("lok8s.dev");
        Path other = Files.writeString(project.resolve("other.yaml"), SpecBuilder.HEADER);

        assertThat(locator.locate(project, "lok8s.dev", Path.of("other.yaml"))).as("relative -f").isEqualTo(other);
        assertThat(locator.locate(project, "lok8s.dev", other)).as("absolute -f").isEqualTo(other);
    }

    @Test
    void a_missing_spec_names_the_path_tried_and_the_fix() {
        String message = failure(project, "lok8s.dev", null).message();

        assertThat(message).as("message").contains(project.resolve("clusters/lok8s.dev/cluster.lok8s.yaml").toString(),
                "run lo from the project root, or pass -f FILE");
    }

    @Test
    void a_missing_explicit_file_is_named() {
        assertThat(failure(project, null, Path.of("nope.yaml")).message()).as("message")
                .contains(project.resolve("nope.yaml").toString(), "-f");
    }

    @Test
    void a_domain_that_is_not_a_plain_dns_name_is_rejected() {
        for (String domain : new String[] {"../lok8s.dev", "a/b", "..", "lok8s..dev", "Lok8s.dev", "-x.dev"}) {
            assertThat(failure(project, domain, null).message()).as(domain).contains("not a plain DNS name");
        }
    }

    @Test
    void a_path_that_exists_but_is_no_regular_file_says_what_it_is() throws Exception {
        Path fifo = project.resolve("fifo.yaml");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertThat(mkfifo.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(failure(project, null, fifo).message()).as("-f FIFO")
                .isEqualTo(fifo + " (given with -f) is a FIFO (named pipe), not a regular file; pass the path of a"
                        + " cluster.lok8s.yaml file");
        assertThat(failure(project, null, Path.of("/dev/zero")).message()).as("-f /dev/zero")
                .contains("is a character device, not a regular file");

        Files.createDirectories(project.resolve("clusters/lok8s.dev/cluster.lok8s.yaml"));
        assertThat(failure(project, null, null).message()).as("a directory where the spec belongs")
                .contains("cluster.lok8s.yaml is a directory, not a regular file").doesNotContain("no spec");
    }
}
