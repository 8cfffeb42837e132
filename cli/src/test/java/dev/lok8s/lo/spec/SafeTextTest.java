package dev.lok8s.lo.spec;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SafeTextTest {

    @Test
    void controlCharactersBecomeEscapes() {
        assertThat(SafeText.escape("a\u001b[31mb\tc\u007fd\u009be\u202ef\u2066g")).isEqualTo(
                "a\\u001b[31mb\\u0009c\\u007fd\\u009be\\u202ef\\u2066g");
        assertThat(SafeText.escape("plain text, ünïcödé, 漢字 and a \\ backslash"))
                .isEqualTo("plain text, ünïcödé, 漢字 and a \\ backslash");
    }

    @Test
    void longWordsAndLongTextsAreCutWithAMarker() {
        String shown = SafeText.shown("name '" + "x".repeat(100_000) + "' is not valid; use lower-case letters");
        assertThat(shown).startsWith("name '" + "x".repeat(199) + "...[")
                .contains("more characters]")
                .endsWith(" is not valid; use lower-case letters");
        assertThat(shown.length()).isLessThan(300);

        String words = "word ".repeat(10_000);
        assertThat(SafeText.shown(words)).hasSize(SafeText.MAX_TEXT + "...[48000 more characters]".length())
                .endsWith("...[48000 more characters]");
        assertThat(SafeText.shown("short")).isEqualTo("short");
        assertThat(SafeText.shown(null)).isNull();
    }

    @Test
    void linesAreShownOneByOneKeepingTheirBreaks() {
        assertThat(SafeText.lines("error: bad '\u001b[2J'\nfix: use 'x\u0007'")).isEqualTo(
                "error: bad '\\u001b[2J'\nfix: use 'x\\u0007'");
        assertThat(SafeText.lines("one line")).isEqualTo("one line");
        assertThat(SafeText.lines(null)).isNull();
    }
}
