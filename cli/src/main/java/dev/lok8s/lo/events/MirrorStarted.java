package dev.lok8s.lo.events;

import dev.lok8s.lo.plan.MirrorMode;
import dev.lok8s.lo.plan.Scope;

/**
 * A pull-through mirror container runs, on the shared network or the project network.
 *
 * @param mode             proxy (pulling through) or offline (its upstream did not answer: the cache alone,
 *                         read-only); null in events recorded before modes existed (proxy)
 * @param loginFingerprint the keyed fingerprint (HMAC-SHA256 under this machine's key) of the upstream
 *                         login the mirror uses; null when it pulls anonymously. Never the secret
 */
public record MirrorStarted(String domain, String project, String container, String mirror, Scope scope, String network,
                            String ip, String image, String configHash, String upstream, MirrorMode mode,
                            String loginFingerprint) implements LoEvent {

    /** A mirror that proxies anonymously (as every mirror did before modes and logins). */
    public MirrorStarted(String domain, String project, String container, String mirror, Scope scope, String network,
                         String ip, String image, String configHash, String upstream) {
        this(domain, project, container, mirror, scope, network, ip, image, configHash, upstream, null, null);
    }
}
