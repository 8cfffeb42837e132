package dev.lok8s.lo.containerd;

import dev.lok8s.lo.files.AtomicFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Writes the containerd {@code certs.d} tree that kind nodes bind-mount.
 *
 * <p>The tree is refreshed in place: the {@code certs.d} directory itself is never removed or
 * replaced, because a running node's bind mount follows the directory's inode and a new one
 * would leave the node looking at an empty, detached directory. Files are replaced atomically
 * and entries the plan no longer has are deleted.
 */
public final class CertsDirWriter {

    static final String GITIGNORE = "*\n!.gitignore\n";

    /** What a write changed, relative paths under certs.d; empty lists mean nothing changed. */
    public record Result(Path certsDir, List<String> written, List<String> unchanged, List<String> removed) {
        public boolean changed() {
            return !written.isEmpty() || !removed.isEmpty();
        }
    }

    /**
     * Makes {@code certsDir} hold exactly {@code files} (relative path to content). The parent
     * directory ({@code .containerd}) gets a {@code .gitignore} that keeps the generated files
     * out of git.
     */
    public Result write(Path certsDir, Map<String, byte[]> files) {
        try {
            Files.createDirectories(certsDir);
            writeIfDifferent(certsDir.getParent().resolve(".gitignore"), GITIGNORE.getBytes(StandardCharsets.UTF_8));
            Map<String, byte[]> wanted = new TreeMap<>(files);
            List<String> written = new ArrayList<>();
            List<String> unchanged = new ArrayList<>();
            for (Map.Entry<String, byte[]> file : wanted.entrySet()) {
                Path target = resolveInside(certsDir, file.getKey());
                if (writeIfDifferent(target, file.getValue())) {
                    written.add(file.getKey());
                } else {
                    unchanged.add(file.getKey());
                }
            }
            List<String> removed = removeStale(certsDir, wanted);
            return new Result(certsDir, List.copyOf(written), List.copyOf(unchanged), List.copyOf(removed));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the containerd config under " + certsDir + ": " + e.getMessage(), e);
        }
    }

    private static Path resolveInside(Path root, String relative) {
        Path target = root.resolve(relative).normalize();
        if (!target.startsWith(root) || target.equals(root)) {
            throw new IllegalArgumentException("certs.d entry '" + relative + "' points outside " + root);
        }
        return target;
    }

    private static boolean writeIfDifferent(Path target, byte[] content) throws IOException {
        if (Files.isRegularFile(target) && Arrays.equals(Files.readAllBytes(target), content)) {
            return false;
        }
        Files.createDirectories(target.getParent());
        AtomicFiles.replace(target, content);
        return true;
    }

    /** Deletes files not wanted, then directories left empty; never the root. */
    private static List<String> removeStale(Path root, Map<String, byte[]> wanted) throws IOException {
        List<String> removed = new ArrayList<>();
        List<Path> entries;
        try (Stream<Path> walk = Files.walk(root)) {
            entries = walk.filter(p -> !p.equals(root)).sorted(Comparator.reverseOrder()).toList();
        }
        for (Path entry : entries) {
            String relative = root.relativize(entry).toString().replace('\\', '/');
            if (Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
                try (Stream<Path> children = Files.list(entry)) {
                    if (children.findAny().isEmpty()) {
                        Files.delete(entry);
                    }
                }
            } else if (!wanted.containsKey(relative)) {
                Files.delete(entry);
                removed.add(relative);
            }
        }
        removed.sort(null);
        return removed;
    }
}
