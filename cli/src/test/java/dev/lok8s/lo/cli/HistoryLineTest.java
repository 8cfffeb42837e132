package dev.lok8s.lo.cli;

import dev.lok8s.lo.events.EventMetadata;
import dev.lok8s.lo.events.RunRejected;
import dev.lok8s.lo.store.StoredEvent;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code lo history} text lines show what events hold without letting it drive the terminal. */
class HistoryLineTest {

    static StoredEvent rejected(String domain, String reason) {
        UUID run = UUID.fromString("1a2b3c4d-1111-4222-8333-444455556666");
        return new StoredEvent(7, UUID.randomUUID(), "run-" + run, 1, "RunRejected", 1,
                new RunRejected(run, domain, "p", "provision", reason),
                "{}", EventMetadata.local(run, "lo provision", "test"), Instant.parse("2026-11-27T18:01:02Z"));
    }

    @Test
    void controlCharactersInEventValuesAreEscaped() {
        String line = HistoryCommand.line(rejected("evil.dev\u001b]0;owned\u0007",
                "metadata.name: '\u001b[2J\u001b[31mred' is not a valid name\r\nfake line\u202e"));

        assertThat(line).as("no raw control character reaches the terminal")
                .doesNotContain("\u001b").doesNotContain("\u0007").doesNotContain("\r").doesNotContain("\n")
                .doesNotContain("\u202e");
        assertThat(line).contains("evil.dev\\u001b]0;owned\\u0007", "'\\u001b[2J\\u001b[31mred'",
                "\\u000d\\u000afake line\\u202e");
        assertThat(line).startsWith("2026-11-27T18:01:02Z  #7  ").endsWith("(run 1a2b3c4d)  on " + EventMetadata.hostName());
    }

    @Test
    void aHugeValueIsCutWithAMarker() {
        String line = HistoryCommand.line(rejected("big.dev", "metadata.name: '" + "a".repeat(100_000) + "' is bad"));

        assertThat(line.length()).as("a 100 KB value is not echoed whole").isLessThan(2_100);
        assertThat(line).contains("more characters]");
    }
}
