package dev.lok8s.lo.engine;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/** Engine calls made side by side: their answers, with an engine failure rethrown as it was thrown. */
public final class EngineCalls {

    private EngineCalls() {
    }

    /**
     * The call's answer; its runtime exception as is (an {@link EngineUnavailableException} stays one).
     *
     * @param doing what the caller was doing, for the message when it is interrupted
     */
    public static <T> T join(Future<T> call, String doing) {
        try {
            return call.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while " + doing, e);
        }
    }
}
