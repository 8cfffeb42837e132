package dev.lok8s.lo.engine;

/** An image is neither present nor pullable. */
public class ImageUnavailableException extends EngineException {
    public ImageUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
