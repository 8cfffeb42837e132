package dev.lok8s.lo.query;

import java.util.function.Function;

/**
 * What a user typed, checked: the value, or which input is bad and why. The command line answers a
 * {@link Bad} with {@code error: --<input>: <detail>} and exit code 2, the API with a 400 problem
 * naming the parameter.
 */
public sealed interface Parsed<T> {

    /** The value; for a bad input, what {@code edge} makes of it, thrown. */
    default T orElseThrow(Function<Bad<T>, ? extends RuntimeException> edge) {
        return switch (this) {
            case Ok<T> ok -> ok.value();
            case Bad<T> bad -> throw edge.apply(bad);
        };
    }

    record Ok<T>(T value) implements Parsed<T> {
    }

    /**
     * @param input  the option or parameter, without dashes ({@code limit}, {@code run}, {@code host})
     * @param detail what is wrong with it, without the name ({@code 'x' is not a number from 1 to 10000})
     */
    record Bad<T>(String input, String detail) implements Parsed<T> {
    }
}
