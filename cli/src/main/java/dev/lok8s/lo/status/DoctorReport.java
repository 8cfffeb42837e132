package dev.lok8s.lo.status;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.List;

/**
 * {@code lo doctor}: the troubleshooting checks of the user documentation, each finding a
 * problem and the command that fixes it. Healthy when there are none.
 */
@JsonPropertyOrder({"project", "domain", "healthy", "findings"})
public record DoctorReport(String project, String domain, List<Finding> findings) {

    public DoctorReport {
        findings = List.copyOf(findings);
    }

    public boolean healthy() {
        return findings.isEmpty();
    }

    /**
     * What is wrong (one line) and how to fix it (one line).
     *
     * @param message what is wrong, without the {@code error: } the text output puts before it
     */
    @JsonPropertyOrder({"check", "message", "fix"})
    public record Finding(String check, String message, String fix) {
    }
}
