package dev.lok8s.lo.machine;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.UUID;

/**
 * This machine's id: a UUID in {@code <state dir>/machine-id} (0600; the directory 0700 when lo
 * creates it), written once, on first use, and read ever after. Copying the state directory to
 * another machine copies its identity; deleting the file makes the machine a new one.
 */
public final class MachineIdFile {

    public static final String NAME = "machine-id";
    /** A UUID is 36 characters; the rest allows a line end and some blanks. */
    static final int MAX_BYTES = 64;

    private MachineIdFile() {
    }

    /** Reads the id, creating it first when the file does not exist. */
    public static Machine load(Path stateDir, String hostName) {
        Path file = stateDir.resolve(NAME);
        try {
            if (!Files.exists(file)) {
                create(stateDir, file);
            }
            String text = readBounded(file).strip();
            try {
                return new Machine(UUID.fromString(text).toString(), hostName);
            } catch (IllegalArgumentException e) {
                throw new MachineIdException("machine id file " + file + " does not hold a UUID ('" + abbreviate(text)
                        + "'): restore it from a backup, or delete it to make this a new machine");
            }
        } catch (IOException e) {
            throw new MachineIdException("cannot read or create the machine id file " + file + ": " + e.getMessage());
        }
    }

    /**
     * The file's text, refused when it is not a regular file (a link to {@code /dev/zero} would be read
     * without end, a FIFO would wait for a writer) or longer than an id with some blanks.
     */
    private static String readBounded(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new MachineIdException("machine id file " + file + " is not a regular file: remove it (lo makes a "
                    + "new one), or restore the file from a backup");
        }
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_BYTES + 1);
        }
        if (bytes.length > MAX_BYTES) {
            throw new MachineIdException("machine id file " + file + " is larger than a machine id (at most "
                    + MAX_BYTES + " bytes): restore it from a backup, or delete it to make this a new machine");
        }
        return new String(bytes, StandardCharsets.US_ASCII);
    }

    private static void create(Path stateDir, Path file) throws IOException {
        if (!Files.isDirectory(stateDir)) {
            Files.createDirectories(stateDir, PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------")));
        }
        // Written whole under a temporary name, then moved into place: a reader never sees half an id,
        // and of two processes creating it at once the first move wins.
        Path tmp = Files.createTempFile(stateDir, ".machine-id", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.writeString(tmp, UUID.randomUUID() + "\n", StandardCharsets.US_ASCII);
            try {
                Files.createLink(file, tmp);
            } catch (FileAlreadyExistsException raced) {
                // another process made it first: use theirs
            } catch (UnsupportedOperationException | IOException noLinks) {
                if (!Files.exists(file)) {
                    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
                }
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static String abbreviate(String text) {
        return text.length() > 40 ? text.substring(0, 40) + "..." : text;
    }

    /** The machine id file cannot be read or created. */
    public static final class MachineIdException extends RuntimeException {
        public MachineIdException(String message) {
            super(message);
        }
    }
}
