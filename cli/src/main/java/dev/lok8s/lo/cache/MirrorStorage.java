package dev.lok8s.lo.cache;

import dev.lok8s.lo.engine.ContainerDefinition;
import dev.lok8s.lo.engine.ContainerEngine;
import dev.lok8s.lo.engine.ContainerInfo;
import dev.lok8s.lo.engine.EngineException;
import dev.lok8s.lo.plan.Labels;
import dev.lok8s.lo.plan.PlannedRegistry;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A mirror's storage seen without its proxy: a second registry from the same image on the mirror's
 * volume, not a proxy, so its catalog, tags and manifests are what the volume holds (a mirror passes tag
 * lists and unknown manifests through to its upstream, and refuses deletes). Read-only for a look; with
 * deletes enabled while the mirror is stopped, for a prune. {@link #collect} runs distribution's garbage
 * collection on the volume, which frees the blobs no remaining manifest uses.
 */
public final class MirrorStorage implements AutoCloseable {

    static final int PORT = 5000;
    static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    static final Duration COLLECT_TIMEOUT = Duration.ofMinutes(30);
    /** Repositories and manifests read at most (a prune of a larger cache goes in several runs). */
    static final int MAX_REPOSITORIES = 2000;
    static final int MAX_MANIFESTS = 20_000;

    /** An image as the volume holds it, before lo knows when it was last pulled. */
    public record Stored(String repository, String digest, List<String> tags, List<String> manifests,
                         Map<String, Long> blobs) {
    }

    /** What the collection did. */
    public record Collected(int exitCode, int blobsDeleted, String tail) {
        public boolean ok() {
            return exitCode == 0;
        }
    }

    private final ContainerEngine engine;
    private final String container;
    private final RegistryHttp http;

    private MirrorStorage(ContainerEngine engine, String container, RegistryHttp http) {
        this.engine = engine;
        this.container = container;
        this.http = http;
    }

    /** The maintenance registry's container name beside a mirror. */
    public static String maintenanceName(PlannedRegistry mirror) {
        return mirror.container() + "-maintenance";
    }

    public static String collectorName(PlannedRegistry mirror) {
        return mirror.container() + "-gc";
    }

    /**
     * Starts the maintenance registry on the mirror's volume and network and waits until it answers.
     *
     * @param writable deletes enabled; only while the mirror itself is stopped
     */
    public static MirrorStorage open(ContainerEngine engine, String image, PlannedRegistry mirror, boolean writable) {
        String name = maintenanceName(mirror);
        engine.removeContainer(name);  // one an interrupted prune left
        ContainerInfo started = engine.runContainer(new ContainerDefinition(name, image, mirror.network(), null,
                labels(mirror), Map.of(mirror.volume(), PlannedRegistry.DATA_DIR),
                Map.of(PlannedRegistry.CONFIG_PATH, config(writable).getBytes(StandardCharsets.UTF_8)), List.of(),
                List.of(), false));
        try {
            String ip = started.networks().get(mirror.network());
            if (ip == null || ip.isBlank()) {
                ip = engine.findContainer(name).map(c -> c.networks().get(mirror.network())).orElse(null);
            }
            if (ip == null || ip.isBlank()) {
                throw new EngineException("maintenance registry " + name + " has no address on " + mirror.network(), null);
            }
            RegistryHttp http = new RegistryHttp(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build(),
                    URI.create("http://" + ip + ":" + PORT + "/"), REQUEST_TIMEOUT);
            awaitAnswer(http, name);
            return new MirrorStorage(engine, name, http);
        } catch (RuntimeException e) {
            engine.removeContainer(name);
            throw e;
        }
    }

    private static void awaitAnswer(RegistryHttp http, String name) {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        RegistryHttp.RegistryException last = null;
        while (System.nanoTime() < deadline) {
            try {
                http.catalog();
                return;
            } catch (RegistryHttp.RegistryException e) {
                last = e;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new EngineException("interrupted while waiting for " + name, e);
            }
        }
        throw new EngineException("maintenance registry " + name + " did not answer within "
                + START_TIMEOUT.toSeconds() + " s" + (last == null ? "" : ": " + last.getMessage()), last);
    }

    /** Every tagged image the volume holds, with its platform manifests and blobs. */
    public List<Stored> images() {
        Map<String, Stored> byDigest = new LinkedHashMap<>();
        int manifests = 0;
        for (String repository : http.catalog().names().stream().limit(MAX_REPOSITORIES).toList()) {
            Map<String, List<String>> tagsByDigest = new TreeMap<>();
            for (String tag : http.tags(repository).names()) {
                http.headManifest(repository, tag).ifPresent(d -> tagsByDigest.computeIfAbsent(d, k -> new ArrayList<>())
                        .add(tag));
                if (++manifests > MAX_MANIFESTS) {
                    break;
                }
            }
            for (Map.Entry<String, List<String>> e : tagsByDigest.entrySet()) {
                Stored stored = stored(repository, e.getKey(), e.getValue());
                byDigest.put(repository + "@" + e.getKey(), stored);
            }
        }
        return List.copyOf(byDigest.values());
    }

    private Stored stored(String repository, String digest, List<String> tags) {
        List<String> manifests = new ArrayList<>();
        Map<String, Long> blobs = new TreeMap<>();
        manifests.add(digest);
        Manifest manifest = manifest(repository, digest);
        if (manifest instanceof Manifest.Index index) {
            for (Manifest.Descriptor child : index.manifests()) {
                if (http.headManifest(repository, child.digest()).isEmpty()) {
                    continue;  // a platform the mirror was never asked for
                }
                manifests.add(child.digest());
                if (manifest(repository, child.digest()) instanceof Manifest.Image image) {
                    image.blobs().forEach(b -> blobs.put(b.digest(), Math.max(0, b.size())));
                }
            }
        } else if (manifest instanceof Manifest.Image image) {
            image.blobs().forEach(b -> blobs.put(b.digest(), Math.max(0, b.size())));
        }
        return new Stored(repository, digest, List.copyOf(tags), manifests, blobs);
    }

    private Manifest manifest(String repository, String digest) {
        RegistryHttp.FetchedManifest fetched = http.getManifest(repository, digest, -1,
                () -> BoundedBody.Deadline.in(REQUEST_TIMEOUT, "lo's limit for one manifest of a prune"));
        try {
            return Manifest.parse(fetched.contentType(), fetched.body());
        } catch (IllegalArgumentException e) {
            return null;  // a shape lo does not read: it stays, and so do its blobs
        }
    }

    /** Deletes a manifest and the tags that point at it. */
    public void delete(String repository, String digest) {
        http.deleteManifest(repository, digest);
    }

    @Override
    public void close() {
        engine.removeContainer(container);
    }

    /** Runs distribution's garbage collection on the mirror's volume, once, while nothing serves from it. */
    public static Collected collect(ContainerEngine engine, String image, PlannedRegistry mirror) {
        String name = collectorName(mirror);
        engine.removeContainer(name);
        engine.runContainer(new ContainerDefinition(name, image, mirror.network(), null, labels(mirror),
                Map.of(mirror.volume(), PlannedRegistry.DATA_DIR),
                Map.of(PlannedRegistry.CONFIG_PATH, config(true).getBytes(StandardCharsets.UTF_8)),
                List.of("garbage-collect", PlannedRegistry.CONFIG_PATH), List.of(), false));
        try {
            int exit = engine.waitForExit(name, COLLECT_TIMEOUT);
            String log = engine.logs(name, 200_000);
            int deleted = 0;
            for (String line : log.split("\n")) {
                if (line.startsWith("blob eligible for deletion:")) {
                    deleted++;
                }
            }
            String[] lines = log.strip().split("\n");
            String tail = lines.length == 0 ? "" : BoundedLine.of(lines[lines.length - 1]);
            return new Collected(exit, deleted, tail);
        } finally {
            engine.removeContainer(name);
        }
    }

    /** The mirror's extra labels (a test's), lo's own, and which mirror it serves; no role: it is not a registry lo keeps. */
    private static Map<String, String> labels(PlannedRegistry mirror) {
        Map<String, String> labels = new LinkedHashMap<>();
        mirror.labels().forEach((k, v) -> {
            if (!Labels.RESERVED.contains(k)) {
                labels.put(k, v);
            }
        });
        labels.put(Labels.MANAGED_BY, Labels.MANAGED_BY_LO);
        labels.put("dev.lok8s.maintenance-of", mirror.container());
        return labels;
    }

    static String config(boolean writable) {
        return """
                version: 0.1
                log:
                  level: info
                  accesslog:
                    disabled: true
                storage:
                  filesystem:
                    rootdirectory: %s
                  delete:
                    enabled: %s
                  maintenance:
                    uploadpurging:
                      enabled: false
                    readonly:
                      enabled: %s
                http:
                  addr: :%d
                """.formatted(PlannedRegistry.DATA_DIR, writable, !writable, PORT);
    }

    /** One line of the collector's output, cut and without control characters, for a message. */
    static final class BoundedLine {
        static String of(String line) {
            String clean = line.codePoints().filter(c -> c >= 0x20 && c != 0x7f)
                    .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
            return clean.length() > 300 ? clean.substring(0, 300) + "..." : clean;
        }
    }

}
