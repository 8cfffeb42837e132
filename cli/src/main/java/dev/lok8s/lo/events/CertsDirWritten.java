package dev.lok8s.lo.events;

import java.util.List;

/** containerd's certs.d tree for a project was written. */
public record CertsDirWritten(String domain, String project, String path, List<String> files) implements LoEvent {
}
