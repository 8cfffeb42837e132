package dev.lok8s.lo.cache;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Pulls one image through a mirror over the registry API, the way a node would: the manifest (and,
 * for an index, the manifest of each selected platform), then every blob read to its end, which is
 * what makes a pull-through registry store it. An image the log records as warmed into this mirror
 * at the digest the mirror still resolves, whose blobs the mirror all has, is left alone.
 */
public final class CacheWarmer {

    /** Hears how a warm goes; called from the warming thread. */
    public interface Listener {
        /** The manifests are read: {@code blobs} blobs of {@code bytes} in total are to come. */
        void resolved(ImageName image, String digest, int blobs, long bytes);

        /** {@code doneBytes} of all blobs read so far, {@code doneBlobs} complete. */
        void progress(ImageName image, int doneBlobs, int blobs, long doneBytes, long bytes);
    }

    /** What one warm did. */
    public record Warmed(ImageName image, String mirror, String digest, long bytes, int blobs, int manifests,
                         boolean cached, long millis) {
    }

    /** The platform to select from an index, {@code os/arch}, or null for all of them. */
    private final String platform;

    public CacheWarmer(String platform) {
        this.platform = platform;
    }

    /**
     * @param warmedBefore whether the log records this mirror holding the given digest
     * @throws RegistryHttp.RegistryException naming what failed, with the mirror's (upstream's) error
     */
    public Warmed warm(ImageName image, String mirror, RegistryHttp http, Predicate<String> warmedBefore,
                       Listener listener) {
        long start = System.nanoTime();
        String repository = image.repository();
        RegistryHttp.FetchedManifest top = http.getManifest(repository, image.reference());
        Manifest parsed = parse(top, image);
        int manifests = 1;
        List<Manifest.Image> images = new ArrayList<>();
        if (parsed instanceof Manifest.Index index) {
            List<Manifest.Descriptor> chosen = index.select(platform);
            if (chosen.isEmpty()) {
                throw new RegistryHttp.RegistryException(200, "image " + image + " has no manifest for " + platform
                        + " (it has " + String.join(", ", index.manifests().stream()
                        .map(d -> String.valueOf(d.platform())).distinct().toList())
                        + "); pass --platform or --all-platforms");
            }
            for (Manifest.Descriptor child : chosen) {
                RegistryHttp.FetchedManifest fetched = http.getManifest(repository, child.digest());
                manifests++;
                if (!(parse(fetched, image) instanceof Manifest.Image platformImage)) {
                    throw new RegistryHttp.RegistryException(200, "image " + image + ": the index entry "
                            + child.digest() + " is not an image manifest");
                }
                images.add(platformImage);
            }
        } else {
            images.add((Manifest.Image) parsed);
        }
        Map<String, Long> blobs = new LinkedHashMap<>();
        images.forEach(i -> i.blobs().forEach(b -> blobs.putIfAbsent(b.digest(), Math.max(0, b.size()))));
        long total = blobs.values().stream().mapToLong(Long::longValue).sum();
        listener.resolved(image, top.digest(), blobs.size(), total);

        if (warmedBefore.test(top.digest()) && allPresent(http, repository, blobs.keySet())) {
            listener.progress(image, blobs.size(), blobs.size(), total, total);
            return new Warmed(image, mirror, top.digest(), total, blobs.size(), manifests, true, millisSince(start));
        }
        long done = 0;
        int doneBlobs = 0;
        for (Map.Entry<String, Long> blob : blobs.entrySet()) {
            long before = done;
            int finished = doneBlobs;
            long read = http.readBlob(repository, blob.getKey(),
                    bytes -> listener.progress(image, finished, blobs.size(), before + bytes, total));
            done += read;
            doneBlobs++;
            listener.progress(image, doneBlobs, blobs.size(), done, total);
        }
        return new Warmed(image, mirror, top.digest(), done, blobs.size(), manifests, false, millisSince(start));
    }

    private static boolean allPresent(RegistryHttp http, String repository, Iterable<String> digests) {
        for (String digest : digests) {
            if (!http.headBlob(repository, digest)) {
                return false;
            }
        }
        return true;
    }

    private static Manifest parse(RegistryHttp.FetchedManifest fetched, ImageName image) {
        try {
            return Manifest.parse(fetched.contentType(), fetched.body());
        } catch (IllegalArgumentException e) {
            throw new RegistryHttp.RegistryException(200, "image " + image + ": " + e.getMessage());
        }
    }

    /** The host's platform as registries name it ({@code linux/amd64}, {@code linux/arm64}). */
    public static String hostPlatform() {
        String arch = System.getProperty("os.arch", "amd64");
        return "linux/" + switch (arch) {
            case "x86_64", "amd64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            default -> arch;
        };
    }


    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }
}
