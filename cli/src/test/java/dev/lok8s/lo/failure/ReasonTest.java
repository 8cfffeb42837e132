package dev.lok8s.lo.failure;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReasonTest {

    @Test
    void printsTheErrorLineAndTheFixLine() {
        Reason reason = Reason.of("registry network 'n' exists with subnet 10.0.0.0/24, expected 10.1.0.0/24",
                "lo registry clean --shared");
        assertThat(reason.lines()).isEqualTo("error: registry network 'n' exists with subnet 10.0.0.0/24, expected "
                + "10.1.0.0/24\nfix: lo registry clean --shared");
        assertThat(Reason.of("engine gone").lines()).isEqualTo("error: engine gone");
        assertThat(Reason.errorLine("engine gone")).isEqualTo("error: engine gone");
    }

    @Test
    void recordsTheMessageAloneOrBothLinesWhenThereIsAFix() {
        assertThat(Reason.of("kind create cluster exited 1").recorded()).isEqualTo("kind create cluster exited 1");
        assertThat(Reason.of("a", "b").recorded()).isEqualTo("error: a\nfix: b");
        assertThat(Reason.of("a", " ")).as("a blank fix is none").isEqualTo(Reason.of("a"));
        assertThatThrownBy(() -> Reason.of(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void readsBackWhatItRecordedOrPrinted() {
        for (Reason reason : List.of(Reason.of("a"), Reason.of("a", "b"), Reason.of("multi\nline", "run x"))) {
            assertThat(Reason.parse(reason.recorded())).as("recorded %s", reason).isEqualTo(reason);
            assertThat(Reason.parse(reason.lines())).as("printed %s", reason).isEqualTo(reason);
        }
        assertThat(Reason.parse("error: a")).isEqualTo(Reason.of("a"));
    }

    /** The prefixes are the edges' rendering: domain code builds a Reason and never writes them itself. */
    @Test
    void onlyReasonWritesTheErrorAndFixPrefixes() throws IOException {
        Pattern prefix = Pattern.compile("\"(error|\\\\nfix|fix): ");
        List<Path> writers;
        try (Stream<Path> files = Stream.concat(Files.walk(Path.of("src/main/java")),
                Files.isDirectory(Path.of("../serve/src/main/java")) ? Files.walk(Path.of("../serve/src/main/java"))
                        : Stream.empty())) {
            writers = files.filter(f -> f.toString().endsWith(".java"))
                    .filter(f -> !f.endsWith(Path.of("dev/lok8s/lo/failure/Reason.java")))
                    .filter(f -> {
                        try {
                            return prefix.matcher(Files.readString(f)).find();
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    }).toList();
        }
        assertThat(writers).as("sources that write \"error: \" or \"fix: \" themselves").isEmpty();
    }
}
