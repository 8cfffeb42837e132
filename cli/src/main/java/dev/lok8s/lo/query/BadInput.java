package dev.lok8s.lo.query;

/** One input the parsers of this package cannot use; becomes a {@link Parsed.Bad}. */
final class BadInput extends RuntimeException {

    final String input;

    BadInput(String input, String detail) {
        super(detail, null, false, false);
        this.input = input;
    }

    <T> Parsed<T> parsed() {
        return new Parsed.Bad<>(input, getMessage());
    }
}
