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
    SpecFixture fixture;

    @BeforeEach
    void setUp() {
        fixture = new SpecFixture(dir);
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
        assertThat(onlyError(fixture.write(SpecFixture.HEADER + "---\n" + SpecFixture.HEADER)).message())
                .as("two documents").contains("second YAML document, starting at line 6");
        assertThat(fixture.parse(fixture.write(SpecFixture.HEADER + "---\n")).name()).as("trailing empty document")
                .isEqualTo("demo");
    }

    @Test
    void a_file_larger_than_1_mib_is_refused_before_reading() throws IOException {
        Path big = dir.resolve("big.yaml");
        Files.writeString(big, SpecFixture.HEADER + "#" + "x".repeat(1024 * 1024) + "\n");

        assertThat(onlyError(big).message()).as("size").contains("at most 1 MiB");
        Path justFits = dir.resolve("fits.yaml");
        Files.writeString(justFits, SpecFixture.HEADER + "#".repeat(1024 * 1024 - SpecFixture.HEADER.length()));
        assertThat(Files.size(justFits)).as("exactly 1 MiB").isEqualTo(1024 * 1024);
        assertThat(fixture.parse(justFits).name()).as("1 MiB is allowed").isEqualTo("demo");
    }
}
