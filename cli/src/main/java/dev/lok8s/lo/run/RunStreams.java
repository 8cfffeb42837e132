package dev.lok8s.lo.run;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The version of each stream a run read before deciding (the project's and the shared network's, read
 * by {@link KnownStates}; its own run stream once RunStarted is written or a resume reads it). The run's
 * appends to a stream expect that version, then the one they last wrote ({@link StreamWriter}).
 */
public final class RunStreams {

    private final Map<String, Integer> observed = new ConcurrentHashMap<>();

    /** The first read of a stream is the one the run decided on; a later read does not replace it. */
    public void observed(String streamId, int version) {
        observed.putIfAbsent(streamId, version);
    }

    public Optional<Integer> version(String streamId) {
        return Optional.ofNullable(observed.get(streamId));
    }
}
