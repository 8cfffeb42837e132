package dev.lok8s.lo.store;

/** An append found its stream at another version than the caller expected; nothing was written. */
public class WrongExpectedVersionException extends RuntimeException {
    private final String streamId;
    private final long expected;
    private final long actual;

    public WrongExpectedVersionException(String streamId, long expected, long actual) {
        super("stream " + streamId + " is at version " + actual + ", expected "
                + (expected == ExpectedVersion.NO_STREAM ? "no stream" : Long.toString(expected)));
        this.streamId = streamId;
        this.expected = expected;
        this.actual = actual;
    }

    public String streamId() {
        return streamId;
    }

    public long expected() {
        return expected;
    }

    public long actual() {
        return actual;
    }
}
