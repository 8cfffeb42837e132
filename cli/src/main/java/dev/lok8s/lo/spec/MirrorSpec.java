package dev.lok8s.lo.spec;

import java.net.URI;
import java.util.List;

/** One pull-through mirror: {@code spec.registries.mirrors[i]}. */
public record MirrorSpec(String name, URI url) {

    /** The mirrors a spec gets when it lists none. */
    public static final List<MirrorSpec> STANDARD = List.of(
            new MirrorSpec("io-docker", URI.create("https://registry-1.docker.io")),
            new MirrorSpec("io-quay", URI.create("https://quay.io")),
            new MirrorSpec("io-k8s", URI.create("https://registry.k8s.io")),
            new MirrorSpec("io-ghcr", URI.create("https://ghcr.io")));
}
