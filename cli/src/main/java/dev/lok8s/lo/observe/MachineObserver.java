package dev.lok8s.lo.observe;

import dev.lok8s.lo.engine.ContainerEngine;
import dev.lok8s.lo.engine.ContainerInfo;
import dev.lok8s.lo.engine.EngineCalls;
import dev.lok8s.lo.engine.NetworkInfo;
import dev.lok8s.lo.plan.Labels;
import dev.lok8s.lo.plan.RegistryPlan;
import dev.lok8s.lo.registry.RegistryTlsFiles;
import dev.lok8s.lo.tls.CertificateStore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * Takes a {@link MachineSnapshot}: one list call each for containers, networks and lo's volumes,
 * one look at the registry image, all issued at once, plus the certs.d tree and the certificate
 * from disk. A container is inspected only when the list cannot say which image it was created
 * from (the tag has since moved to another image). Reads only; changes nothing.
 */
public final class MachineObserver {

    /** Files under certs.d larger than this are not read (lo writes a few hundred bytes each). */
    static final long MAX_CERTS_FILE = 1 << 20;

    private final ContainerEngine engine;

    public MachineObserver(ContainerEngine engine) {
        this.engine = engine;
    }

    /** The engine and the plan's files on disk. */
    public MachineSnapshot observe(RegistryPlan plan) {
        return observe(plan, true);
    }

    /** @param files whether to read the certs.d tree and the certificate (status and doctor do not need them) */
    public MachineSnapshot observe(RegistryPlan plan, boolean files) {
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<List<ContainerInfo>> containers = executor.submit(() -> engine.listContainers(Map.of()));
            Future<List<NetworkInfo>> networks = executor.submit(engine::listNetworks);
            Future<List<String>> volumes = executor.submit(() -> engine.listVolumes(Map.of()));
            Future<List<String>> owned = executor.submit(() ->
                    engine.listVolumes(Map.of(Labels.MANAGED_BY, Labels.MANAGED_BY_LO)));
            Future<Boolean> image = executor.submit(() -> engine.imagePresent(plan.image()));
            Map<String, String> certs = files ? certsTree(Path.of(plan.certsDir())) : Map.of();
            boolean ignored = files && Files.isRegularFile(Path.of(plan.certsDir()).getParent().resolve(".gitignore"));
            Optional<StoredCertificate> certificate = files && plan.tls() ? certificate(plan) : Optional.empty();
            String doing = "observing the Docker Engine";
            return MachineSnapshot.of(withConfiguredImages(EngineCalls.join(containers, doing)),
                    EngineCalls.join(networks, doing), Set.copyOf(EngineCalls.join(volumes, doing)),
                    Set.copyOf(EngineCalls.join(owned, doing)), EngineCalls.join(image, doing), certs, ignored,
                    certificate);
        }
    }

    private List<ContainerInfo> withConfiguredImages(List<ContainerInfo> listed) {
        List<ContainerInfo> out = new ArrayList<>(listed.size());
        for (ContainerInfo c : listed) {
            boolean ours = Labels.MANAGED_BY_LO.equals(c.labels().get(Labels.MANAGED_BY));
            if (ours && c.image() != null && c.image().startsWith("sha256:")) {
                out.add(engine.findContainer(c.name()).orElse(c));
            } else {
                out.add(c);
            }
        }
        return out;
    }

    /** Relative path to content of every regular file under {@code root}; empty when it does not exist. */
    public static Map<String, String> certsTree(Path root) {
        if (!Files.isDirectory(root)) {
            return Map.of();
        }
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                String relative = root.relativize(p).toString().replace('\\', '/');
                files.put(relative, read(p));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the containerd config under " + root + ": " + e.getMessage(), e);
        }
        return files;
    }

    /** A file's text; one too large or not UTF-8 is not one lo wrote, and reads as a marker that matches no plan. */
    private static String read(Path file) throws IOException {
        if (Files.size(file) > MAX_CERTS_FILE) {
            return "\u0000(too large)";
        }
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (CharacterCodingException e) {
            return "\u0000(not UTF-8)";
        }
    }

    static Optional<StoredCertificate> certificate(RegistryPlan plan) {
        CertificateStore store = RegistryTlsFiles.certificateStore(plan);
        return store.read().flatMap(cert -> {
            try {
                return Optional.of(new StoredCertificate(cert, Files.readString(store.certFile(), StandardCharsets.US_ASCII)));
            } catch (IOException e) {
                return Optional.empty();
            }
        });
    }
}
