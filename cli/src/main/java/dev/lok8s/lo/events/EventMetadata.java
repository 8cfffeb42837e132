package dev.lok8s.lo.events;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/**
 * Who and what caused an append; stored in columns beside the payload.
 *
 * @param runId       the run the events belong to; null for changes made outside a run
 * @param commandLine the {@code lo} command line as typed
 * @param host        the host name at the time, for display
 * @param machineId   the machine it happened on (dev.lok8s.lo.machine.Machine); the store fills it in on
 *                    append; null on events recorded before lo knew machines
 */
public record EventMetadata(UUID runId, String commandLine, String osUser, String host, String loVersion,
                            String machineId) {

    public EventMetadata(UUID runId, String commandLine, String osUser, String host, String loVersion) {
        this(runId, commandLine, osUser, host, loVersion, null);
    }

    /** No run, no command line: what an append without metadata records (besides the machine). */
    public static final EventMetadata NONE = new EventMetadata(null, null, null, null, null, null);

    public EventMetadata withMachineId(String id) {
        return new EventMetadata(runId, commandLine, osUser, host, loVersion, id);
    }

    /** Metadata for this process: OS user and host name filled in. */
    public static EventMetadata local(UUID runId, String commandLine, String loVersion) {
        return new EventMetadata(runId, commandLine, System.getProperty("user.name"), hostName(), loVersion);
    }

    private static volatile String hostName;

    /** The host name without a DNS round trip where possible (every CLI call pays for this). */
    public static String hostName() {
        String cached = hostName;
        if (cached != null) {
            return cached;
        }
        String name = System.getenv("HOSTNAME");
        if (name == null || name.isBlank()) {
            try {
                name = Files.readString(Path.of("/etc/hostname")).strip();
            } catch (IOException | RuntimeException e) {
                name = null;
            }
        }
        if (name == null || name.isBlank()) {
            try {
                name = InetAddress.getLocalHost().getHostName();
            } catch (IOException e) {
                name = "localhost";
            }
        }
        hostName = name;
        return name;
    }
}
