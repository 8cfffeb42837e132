package dev.lok8s.lo.spec;

import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A project's slot: the N of its {@code 10.125.N.0/24} subnet, implied by its domain
 * ({@code lok8s.dev} is slot 125, {@code N.lok8s.dev} is slot N).
 */
public final class ProjectSlot {

    public static final int DEFAULT = 125;
    public static final int MIN = 2;
    public static final int MAX = 199;

    private static final Pattern NUMBERED = Pattern.compile("(0|[1-9][0-9]{0,8})\\.lok8s\\.dev");
    private static final Pattern DNS_NAME = Pattern.compile(
            "[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*");

    private ProjectSlot() {
    }

    /**
     * The slot a domain names, unchecked against {@link #MIN}..{@link #MAX}; empty for a domain
     * of neither form (such a project must give its cidr).
     */
    public static OptionalInt forDomain(String domain) {
        if (ClusterSpec.DEFAULT_DOMAIN.equals(domain)) {
            return OptionalInt.of(DEFAULT);
        }
        Matcher numbered = NUMBERED.matcher(domain == null ? "" : domain);
        return numbered.matches() ? OptionalInt.of(Integer.parseInt(numbered.group(1))) : OptionalInt.empty();
    }

    public static boolean inRange(int slot) {
        return slot >= MIN && slot <= MAX;
    }

    /** {@code 10.125.<slot>.0/24}. */
    public static Cidr subnet(int slot) {
        if (slot < 0 || slot > 255) {
            throw new IllegalArgumentException("slot must be 0..255, was " + slot);
        }
        return new Cidr((10 << 24) | (125 << 16) | (slot << 8), 24);
    }

    /** A plain lower-case DNS name: no slashes, no empty labels, nothing a path could escape with. */
    public static boolean isDnsName(String domain) {
        return domain != null && domain.length() <= 253 && DNS_NAME.matcher(domain).matches();
    }
}
