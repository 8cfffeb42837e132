package dev.lok8s.lo.events;

import java.util.UUID;

/**
 * A run was refused before it changed anything (invalid input, a precondition such as a subnet mismatch).
 * Bad input can be huge (a 100 KB argument, thousands of spec errors): what is recorded is cut to a size
 * the store holds, so the refusal is always recorded.
 */
public record RunRejected(UUID runId, String domain, String project, String command, String reason) implements LoEvent {

    public static final int MAX_NAME = 1_000;
    public static final int MAX_REASON = 100_000;

    public RunRejected {
        domain = BoundedText.cut(domain, MAX_NAME);
        project = BoundedText.cut(project, MAX_NAME);
        command = BoundedText.cut(command, MAX_NAME);
        reason = BoundedText.cut(reason, MAX_REASON);
    }
}
