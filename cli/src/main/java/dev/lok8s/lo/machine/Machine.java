package dev.lok8s.lo.machine;

import dev.lok8s.lo.events.EventMetadata;
import dev.lok8s.lo.events.ShortId;

import java.util.Locale;
import java.util.UUID;

/**
 * The machine lo runs on, as a shared store tells machines apart: a stable id (a UUID kept in the
 * state directory, see {@link MachineIdFile}) and the host name, for display only. Two machines may
 * have the same host name; they never have the same id.
 */
public record Machine(String id, String hostName) {

    /** For tools and tests that do not say which machine they are. */
    public static final String UNNAMED_ID = "00000000-0000-0000-0000-000000000000";

    public Machine {
        UUID.fromString(id);
        id = id.toLowerCase(Locale.ROOT);
    }

    public static Machine unnamed() {
        return new Machine(UNNAMED_ID, EventMetadata.hostName());
    }

    /** The first 8 characters of the id, as lo prints it. */
    public String shortId() {
        return ShortId.of(id);
    }

    /** Whether {@code hostOrId} names this machine: its host name, its id, or a prefix of its id. */
    public boolean isNamedBy(String hostOrId) {
        return hostOrId != null && !hostOrId.isBlank()
                && (hostOrId.equals(hostName) || id.startsWith(hostOrId.toLowerCase(Locale.ROOT)));
    }

    /** {@code laptop-a (1a2b3c4d)} */
    @Override
    public String toString() {
        return hostName + " (" + shortId() + ")";
    }
}
