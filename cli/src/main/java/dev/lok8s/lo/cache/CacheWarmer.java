package dev.lok8s.lo.cache;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * Pulls one image through a mirror over the registry API, the way a node would: the manifest (and,
 * for an index, the manifest of each selected platform), then every blob read to its end, which is
 * what makes a pull-through registry store it. Blobs are read side by side (bounded, {@link WarmLimits}),
 * each exactly its declared size and within its deadline, and discarded (the mirror verifies their digests,
 * {@link RegistryHttp#readBlob}); manifests are verified against their digests. An image the log records as warmed into this mirror
 * at the digest the mirror still resolves, whose blobs the mirror all has, is left alone.
 */
public final class CacheWarmer {

    /** Hears how a warm goes; called from the threads reading an image's blobs, so it must be thread-safe. */
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
    private final WarmLimits limits;
    /** Blobs being read at once, shared by every image of the warm. */
    private final Semaphore blobPermits;

    public CacheWarmer(String platform, WarmLimits limits) {
        this.platform = platform;
        this.limits = limits;
        this.blobPermits = new Semaphore(limits.parallelBlobs());
    }

    /**
     * @param warmedBefore whether the log records this mirror holding the given digest
     * @param overall      the whole warm's deadline: no body of this image is read past it
     * @throws RegistryHttp.RegistryException naming what failed; every text from the registry in it is escaped and cut
     */
    public Warmed warm(ImageName image, String mirror, RegistryHttp http, Predicate<String> warmedBefore,
                       Listener listener, BoundedBody.Deadline overall) {
        long start = System.nanoTime();
        String repository = image.repository();
        RegistryHttp.FetchedManifest top = http.getManifest(repository, image.reference(), -1,
                () -> limits.manifestDeadline().orEarlier(overall));
        Manifest parsed = parse(top, image);
        int manifests = 1;
        List<Manifest.Image> images = new ArrayList<>();
        if (parsed instanceof Manifest.Index index) {
            List<Manifest.Descriptor> chosen = index.select(platform);
            if (chosen.isEmpty()) {
                throw new RegistryHttp.RegistryException(200, "image " + image + " has no manifest for " + platform
                        + " (it has " + RegistryHttp.peerText(String.join(", ", index.manifests().stream()
                        .map(d -> String.valueOf(d.platform())).distinct().toList()))
                        + "); pass --platform or --all-platforms");
            }
            for (Manifest.Descriptor child : chosen) {
                RegistryHttp.FetchedManifest fetched = http.getManifest(repository, child.digest(), child.size(),
                        () -> limits.manifestDeadline().orEarlier(overall));
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
        for (Manifest.Image i : images) {
            for (Manifest.Descriptor b : i.blobs()) {
                Long known = blobs.putIfAbsent(b.digest(), b.size());
                if (known != null && known != b.size()) {
                    throw new RegistryHttp.RegistryException(200, "image " + image + ": its manifests give blob "
                            + b.digest() + " two sizes, " + known + " and " + b.size());
                }
            }
        }
        long total = blobs.values().stream().mapToLong(Long::longValue).sum();
        listener.resolved(image, top.digest(), blobs.size(), total);

        if (warmedBefore.test(top.digest()) && allPresent(http, repository, blobs.keySet())) {
            listener.progress(image, blobs.size(), blobs.size(), total, total);
            return new Warmed(image, mirror, top.digest(), total, blobs.size(), manifests, true, millisSince(start));
        }
        long done = readAll(image, http, blobs, total, listener, overall);
        return new Warmed(image, mirror, top.digest(), done, blobs.size(), manifests, false, millisSince(start));
    }

    /**
     * Reads the blobs side by side, at most {@link WarmLimits#parallelBlobs()} at once over the whole warm;
     * the first that fails stops the others and is what the image fails with.
     */
    private long readAll(ImageName image, RegistryHttp http, Map<String, Long> blobs, long total, Listener listener,
                         BoundedBody.Deadline overall) {
        AtomicLong doneBytes = new AtomicLong();
        AtomicInteger doneBlobs = new AtomicInteger();
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        try {
            CompletionService<Long> completion = new ExecutorCompletionService<>(executor);
            for (Map.Entry<String, Long> blob : blobs.entrySet()) {
                completion.submit(() -> {
                    blobPermits.acquire();
                    try {
                        AtomicLong mine = new AtomicLong();
                        long read = http.readBlob(image.repository(), blob.getKey(), blob.getValue(),
                                () -> limits.blobDeadline(blob.getValue()).orEarlier(overall), bytes -> {
                                    long added = bytes - mine.getAndSet(bytes);
                                    listener.progress(image, doneBlobs.get(), blobs.size(),
                                            doneBytes.addAndGet(added), total);
                                });
                        listener.progress(image, doneBlobs.incrementAndGet(), blobs.size(), doneBytes.get(), total);
                        return read;
                    } finally {
                        blobPermits.release();
                    }
                });
            }
            long done = 0;
            for (int i = 0; i < blobs.size(); i++) {
                try {
                    done += completion.take().get();
                } catch (ExecutionException e) {
                    executor.shutdownNow();
                    if (e.getCause() instanceof RegistryHttp.RegistryException failure) {
                        throw failure;
                    }
                    throw new RegistryHttp.RegistryException(0, "image " + image + ": " + e.getCause());
                } catch (InterruptedException e) {
                    executor.shutdownNow();
                    Thread.currentThread().interrupt();
                    throw new RegistryHttp.RegistryException(0, "image " + image + ": interrupted");
                }
            }
            return done;
        } finally {
            executor.shutdownNow();
            executor.close();
        }
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
            // the parser's message can quote the body (a JSON error names what it found)
            throw new RegistryHttp.RegistryException(200, "image " + image + ": " + RegistryHttp.peerText(e.getMessage()));
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
