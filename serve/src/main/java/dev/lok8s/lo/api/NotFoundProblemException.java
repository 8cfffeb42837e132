package dev.lok8s.lo.api;

/** A resource named in the path that the projections do not know; answered with 404. */
public class NotFoundProblemException extends RuntimeException {

    public NotFoundProblemException(String detail) {
        super(detail);
    }
}
