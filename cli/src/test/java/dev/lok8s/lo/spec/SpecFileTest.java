package dev.lok8s.lo.spec;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Problems with the file as a whole: each is reported alone, with no path. */
class SpecFileTest {

    @TempDir
    Path dir;
    SpecBuilder.SpecFiles fixture;

    @BeforeEach
    void setUp() {
        fixture = SpecBuilder.in(dir);
    }

    private SpecError onlyError(Path file) {
        SpecInvalidException thrown = fixture.invalid(file, null);
        assertThat(thrown.errors()).as("errors of %s", file.getFileName()).hasSize(1);
        SpecError error = thrown.errors().getFirst();
        assertThat(error.path()).as("file-level error has no path").isEmpty();
        assertThat(thrown.getMessage()).as("message is one line").doesNotContain("\n").startsWith(file + ": ");
        return error;
    }

    @Test
    void a_missing_file() {
        assertThat(onlyError(dir.resolve("absent.yaml")).message()).as("missing").contains("does not exist");
    }

    @Test
    void a_directory() {
        assertThat(onlyError(dir).message()).as("directory").contains("is a directory");
    }

    @Test
    void an_empty_file_or_one_with_only_comments() {
        assertThat(onlyError(fixture.write("")).message()).as("empty").contains("is empty", "apiVersion: cluster.lok8s.dev/v1beta1");
        assertThat(onlyError(fixture.write("# nothing yet\n")).message()).as("comments").contains("is empty");
    }

    @Test
    void a_file_that_is_not_yaml_reports_line_and_column_on_one_line() {
        String message = onlyError(fixture.write("apiVersion: x\nspec: [a\nkind: Lo\n")).message();

        assertThat(message).as("syntax").startsWith("is not valid YAML at line 3, column 5: ").contains("expected ',' or ']'");
        assertThat(onlyError(fixture.write("a: b: c\n")).message()).as("nested colon").contains("line 1");
        assertThat(onlyError(fixture.write("\t- tab\n")).message()).as("tab").contains("is not valid YAML");
    }

    @Test
    void a_top_level_that_is_not_a_mapping() {
        assertThat(onlyError(fixture.write("- a\n- b\n")).message()).as("list").contains("holds a list at the top", "expected a mapping");
        assertThat(onlyError(fixture.write("hello\n")).message()).as("scalar").contains("the string 'hello'");
    }

    @Test
    void more_than_one_document() {
        assertThat(onlyError(fixture.write(SpecBuilder.HEADER + "---\n" + SpecBuilder.HEADER)).message())
                .as("two documents").contains("second YAML document, starting at line 6");
        assertThat(fixture.parse(fixture.write(SpecBuilder.HEADER + "---\n")).name()).as("trailing empty document")
                .isEqualTo("demo");
    }

    @Test
    void a_file_larger_than_1_mib_is_refused_before_reading() throws IOException {
        Path big = dir.resolve("big.yaml");
        Files.writeString(big, SpecBuilder.HEADER + "#" + "x".repeat(1024 * 1024) + "\n");

        assertThat(onlyError(big).message()).as("size").contains("at most 1 MiB");
        Path justFits = dir.resolve("fits.yaml");
        Files.writeString(justFits, SpecBuilder.HEADER + "#".repeat(1024 * 1024 - SpecBuilder.HEADER.length()));
        assertThat(Files.size(justFits)).as("exactly 1 MiB").isEqualTo(1024 * 1024);
        assertThat(fixture.parse(justFits).name()).as("1 MiB is allowed").isEqualTo("demo");
    }

    @Test
    void a_fifo_with_a_writer_that_never_stops_is_refused_without_being_read() throws Exception {
        Path fifo = dir.resolve("cluster.lok8s.yaml");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor(10, java.util.concurrent.TimeUnit.SECONDS))
                .isTrue();
        // an endless writer: reading the FIFO to its end would never finish and fill the heap
        Process writer = new ProcessBuilder("sh", "-c", "exec yes lo > '" + fifo + "'").start();
        try {
            String message = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(20),
                    () -> onlyError(fifo).message());
            assertThat(message).isEqualTo("is a FIFO (named pipe), not a regular file; expected a cluster.lok8s.yaml file");
        } finally {
            writer.descendants().forEach(ProcessHandle::destroyForcibly);
            writer.destroyForcibly();
            writer.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    @Test
    void devices_are_refused_without_being_read() {
        assertThat(onlyError(Path.of("/dev/zero")).message()).isEqualTo(
                "is a character device, not a regular file; expected a cluster.lok8s.yaml file");
    }

    @Test
    void a_file_whose_size_reads_zero_is_still_read_with_a_bound() throws Exception {
        Path proc = Path.of("/proc/kallsyms");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isReadable(proc) && Files.size(proc) == 0,
                "needs a readable /proc/kallsyms that reports size 0");
        try (var in = Files.newInputStream(proc)) {
            org.junit.jupiter.api.Assumptions.assumeTrue(in.readNBytes((int) SpecParser.MAX_FILE_BYTES + 1).length
                    > SpecParser.MAX_FILE_BYTES, "needs /proc/kallsyms to hold more than 1 MiB");
        }
        String message = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(20),
                () -> onlyError(proc).message());
        assertThat(message).isEqualTo("holds more than 1 MiB (1048576 bytes), though its size reads 0; a"
                + " cluster.lok8s.yaml may be at most 1 MiB");
    }
}
