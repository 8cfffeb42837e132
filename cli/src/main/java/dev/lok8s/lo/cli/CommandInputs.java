package dev.lok8s.lo.cli;

import dev.lok8s.lo.query.Parsed;

/** Bad input as the command line names it: {@code --limit: 'x' is not a number from 1 to 10000} (exit code 2). */
final class CommandInputs {

    private CommandInputs() {
    }

    static IllegalArgumentException bad(Parsed.Bad<?> bad) {
        return new IllegalArgumentException("--" + bad.input() + ": " + bad.detail());
    }
}
