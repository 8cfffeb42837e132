package dev.lok8s.lo.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/**
 * lo's own settings, from application.properties, system properties or environment variables
 * ({@code lo.registry-image} is {@code LO_REGISTRY_IMAGE}). Documented in docs/configuration.md.
 */
@ConfigMapping(prefix = "lo")
public interface LoConfig {

    /** Registry image for every registry container; overrides {@code spec.registries.image}. */
    Optional<String> registryImage();

    /** The kind executable; empty to search the PATH. */
    Optional<String> kindPath();

    /** How long to wait for {@code kind create cluster}. */
    @WithDefault("600")
    long kindTimeoutSeconds();

    /** Prepended to the names lo invents for shared containers and volumes. Tests set it. */
    Optional<String> namePrefix();

    /** Extra labels on every resource, {@code k=v,k2=v2}. Tests set {@code dev.lok8s.test=<id>}. */
    Optional<String> extraLabels();

    /**
     * Publish each project's build and cache registries on a loopback port of the host
     * ({@code LO_HOST_PORTS}); false creates them as versions before host ports did.
     */
    @WithDefault("true")
    boolean hostPorts();

    /**
     * The base of the host port rule: build on {@code base + 10 * slot + 1}, cache on {@code + 2}
     * ({@code LO_HOST_PORT_BASE}). Tests move it away from the ports of a user's projects.
     */
    @WithDefault("20000")
    int hostPortBase();

    /** How many independent steps of a provision may run at once. */
    @WithDefault("6")
    int parallelism();

    /** How long build and cache may take to answer GET /v2/ before the run fails. */
    @WithDefault("30s")
    Duration registryWait();

    /** How long to wait for a mirror before warning (it listens only once its upstream answers). */
    @WithDefault("5s")
    Duration mirrorWait();

    /** How long lo waits to connect to a mirror's upstream before judging it offline. */
    @WithDefault("3s")
    Duration upstreamConnectTimeout();

    /** How long lo waits for a mirror's upstream to answer {@code GET /v2/} once connected. */
    @WithDefault("5s")
    Duration upstreamRequestTimeout();

    /** {@code lo registry warm}: how much it does at once and how long answers may take (docs/configuration.md). */
    Warm warm();

    interface Warm {
        /** Images warmed side by side. */
        @WithDefault("3")
        int parallelImages();

        /** Blobs read side by side, over all images. */
        @WithDefault("6")
        int parallelBlobs();

        /** How long a request may wait for the response's headers. */
        @WithDefault("60s")
        Duration responseTimeout();

        /** How long a manifest's body may take; a blob's may take this plus its size at {@code min-rate}. */
        @WithDefault("60s")
        Duration bodyTimeout();

        /** The slowest blob transfer allowed for, in bytes per second. */
        @WithDefault("524288")
        long minRate();

        /** How long the whole warm may take; images not done by then fail. */
        @WithDefault("2h")
        Duration timeout();
    }

    /** {@code lo serve}. */
    Serve serve();

    interface Serve {
        /** Bearer token every request must carry ({@code LO_SERVE_TOKEN}); required off loopback. */
        Optional<String> token();

        /** Directory holding {@code clusters/<domain>/} for {@code /api/registries}; default: where lo serve runs. */
        Optional<String> projectDir();

        /** Limits of {@code /api/events/stream} (docs/api.md). */
        Stream stream();
    }

    interface Stream {
        /** How many stream clients may be connected at once; more are answered 503. */
        @WithDefault("16")
        int maxSubscribers();

        /** How many events a client may ask to replay (after / Last-Event-ID); more is a 400. */
        @WithDefault("10000")
        long maxReplay();

        /** A client that takes longer than this to accept one batch of events is disconnected. */
        @WithDefault("60s")
        Duration stallTimeout();
    }
}
