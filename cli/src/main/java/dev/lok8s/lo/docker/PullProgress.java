package dev.lok8s.lo.docker;

import com.github.dockerjava.api.model.PullResponseItem;

/** One pull status item as a human line: {@code <layer>: <status> <progress>}, or null when it says nothing. */
final class PullProgress {

    private PullProgress() {
    }

    static String line(PullResponseItem item) {
        if (item.getStatus() == null || item.getStatus().isBlank()) {
            return null;
        }
        StringBuilder line = new StringBuilder();
        if (item.getId() != null && !item.getId().isBlank()) {
            line.append(item.getId()).append(": ");
        }
        line.append(item.getStatus().strip());
        if (item.getProgress() != null && !item.getProgress().isBlank()) {
            line.append(' ').append(item.getProgress().strip());
        }
        return line.toString();
    }

    /** The error an item carries (the engine reports some pull failures inside a 200 stream), or null. */
    static String error(PullResponseItem item) {
        if (item.getErrorDetail() != null && item.getErrorDetail().getMessage() != null) {
            return item.getErrorDetail().getMessage();
        }
        return item.getError();
    }
}
