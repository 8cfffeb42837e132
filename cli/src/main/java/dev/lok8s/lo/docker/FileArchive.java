package dev.lok8s.lo.docker;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds the tar stream that copies a container's files in, to be extracted at {@code /}.
 *
 * <p>Only file entries are written: the engine creates missing parent directories (0755, root)
 * while extracting, whereas a directory entry would also re-chmod directories that exist
 * (an entry for {@code tmp/} would turn {@code /tmp}'s 1777 into 0755).
 */
final class FileArchive {

    static final int FILE_MODE = 0644;
    static final int SECRET_MODE = 0600;

    private FileArchive() {
    }

    /** @param files absolute path inside the container to content */
    static byte[] tar(Map<String, byte[]> files) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Map.Entry<String, byte[]> file : new TreeMap<>(files).entrySet()) {
                TarArchiveEntry entry = new TarArchiveEntry(entryName(file.getKey()));
                entry.setMode(TarArchiveEntry.DEFAULT_FILE_MODE & ~0777 | modeFor(file.getKey()));
                entry.setSize(file.getValue().length);
                entry.setIds(0, 0);
                tar.putArchiveEntry(entry);
                tar.write(file.getValue());
                tar.closeArchiveEntry();
            }
            tar.finish();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // cannot happen writing to memory
        }
        return bytes.toByteArray();
    }

    /** Private keys are readable by their owner only. */
    static int modeFor(String path) {
        return path.endsWith(".key") ? SECRET_MODE : FILE_MODE;
    }

    static String entryName(String path) {
        if (!path.startsWith("/") || path.endsWith("/")) {
            throw new IllegalArgumentException("container file path must be absolute and name a file: " + path);
        }
        String relative = path.replaceAll("/+", "/").substring(1);
        for (String part : relative.split("/")) {
            if (part.equals("..") || part.equals(".")) {
                throw new IllegalArgumentException("container file path must not contain . or ..: " + path);
            }
        }
        return relative;
    }
}
