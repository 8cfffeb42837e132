package dev.lok8s.lo.docker;

/**
 * An image reference split the way the pull API wants it: {@code fromImage} and {@code tag}.
 * {@code 127.0.0.1:5000/app:1} is repository {@code 127.0.0.1:5000/app}, tag {@code 1}; a
 * digest reference keeps its digest in the tag position; no tag means {@code latest}.
 */
record ImageReference(String repository, String tag) {

    static ImageReference parse(String image) {
        int at = image.indexOf('@');
        if (at >= 0) {
            return new ImageReference(image.substring(0, at), image.substring(at + 1));
        }
        int colon = image.lastIndexOf(':');
        int slash = image.lastIndexOf('/');
        if (colon > slash) { // a colon before the last slash is a registry port
            return new ImageReference(image.substring(0, colon), image.substring(colon + 1));
        }
        return new ImageReference(image, "latest");
    }
}
