package dev.lok8s.lo.api;

/** A query or path parameter the API cannot use; answered with 400 naming {@link #parameter()}. */
public class BadParameterException extends RuntimeException {

    private final String parameter;

    public BadParameterException(String parameter, String detail) {
        super(detail);
        this.parameter = parameter;
    }

    public String parameter() {
        return parameter;
    }
}
