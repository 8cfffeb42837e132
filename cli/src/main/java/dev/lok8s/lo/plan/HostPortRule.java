package dev.lok8s.lo.plan;

import dev.lok8s.lo.spec.RegistriesSpec;

/**
 * Which loopback port of the host a project's build and cache registries are published on, when the
 * spec does not say: {@code base + 10 * slot + 1} for build and {@code + 2} for cache. With the default
 * base 20000, slot 125 ({@code lok8s.dev}) is 21251 and 21252: the slot can be read off the port, every
 * slot (0 to 255) has a decade of its own so no two slots and no build and cache collide, and the whole
 * range (20001 to 22552) lies below the ephemeral ports Linux hands out (32768 and up), outside
 * Kubernetes' NodePort range (30000 to 32767) and away from the ports registries are usually run on
 * (5000, 5001).
 *
 * @param enabled whether build and cache are published at all ({@code lo.host-ports}); off, a plan is the
 *                shape of the versions before host ports, with the hashes they recorded
 * @param base    {@code lo.host-port-base}; tests move it so they never meet a user's real projects
 */
public record HostPortRule(boolean enabled, int base) {

    public static final int DEFAULT_BASE = 20000;
    public static final int BUILD_OFFSET = 1;
    public static final int CACHE_OFFSET = 2;
    static final int MAX_SLOT = 255;

    public static final HostPortRule DEFAULT = new HostPortRule(true, DEFAULT_BASE);
    /** No published ports: the plans of earlier versions. */
    public static final HostPortRule OFF = new HostPortRule(false, DEFAULT_BASE);

    public HostPortRule {
        if (base < RegistriesSpec.MIN_HOST_PORT || base + 10 * MAX_SLOT + CACHE_OFFSET > RegistriesSpec.MAX_HOST_PORT) {
            throw new IllegalArgumentException("lo.host-port-base: " + base + " leaves no room for every slot; "
                    + "expected " + RegistriesSpec.MIN_HOST_PORT + " to "
                    + (RegistriesSpec.MAX_HOST_PORT - 10 * MAX_SLOT - CACHE_OFFSET) + " (default " + DEFAULT_BASE + ")");
        }
    }

    /**
     * The port for build or cache of a project in {@code slot}, or {@code given} (the spec's) when not null;
     * null when the rule is off.
     */
    Integer port(Role role, int slot, Integer given) {
        if (!enabled) {
            return null;
        }
        if (given != null) {
            return given;
        }
        if (slot < 0 || slot > MAX_SLOT) {
            throw new IllegalArgumentException("slot must be 0.." + MAX_SLOT + ", was " + slot);
        }
        return switch (role) {
            case BUILD -> base + 10 * slot + BUILD_OFFSET;
            case CACHE -> base + 10 * slot + CACHE_OFFSET;
            case MIRROR -> null;
        };
    }
}
