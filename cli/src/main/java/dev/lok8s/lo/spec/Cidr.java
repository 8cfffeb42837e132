package dev.lok8s.lo.spec;

/**
 * An IPv4 subnet such as {@code 10.125.125.0/24}. The address is normalised to the network
 * address, so {@code 10.125.125.7/24} and {@code 10.125.125.0/24} are equal.
 */
public record Cidr(int network, int prefix) {

    public Cidr {
        if (prefix < 0 || prefix > 32) {
            throw new IllegalArgumentException("prefix must be 0..32, was " + prefix);
        }
        network = network & mask(prefix);
    }

    /** Parses {@code a.b.c.d/n}; throws IllegalArgumentException with a reason on bad input. */
    public static Cidr parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty CIDR");
        }
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("'" + text + "' has no prefix length (expected a.b.c.d/n)");
        }
        int address = parseAddress(text.substring(0, slash));
        String prefixText = text.substring(slash + 1);
        // Integer.parseInt would also take "+24" and non-ASCII digits; Docker takes neither
        if (!isDecimal(prefixText) || prefixText.length() > 2) {
            throw new IllegalArgumentException("'" + text + "' has a prefix length that is not a number 0..32");
        }
        int prefix = Integer.parseInt(prefixText);
        if (prefix > 32) {
            throw new IllegalArgumentException("'" + text + "' has prefix length " + prefix + " (expected 0..32)");
        }
        return new Cidr(address, prefix);
    }

    public static int parseAddress(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("'" + text + "' is not an IPv4 address");
        }
        int value = 0;
        for (String part : parts) {
            if (part.length() > 3 || !isDecimal(part)) {
                throw new IllegalArgumentException("'" + text + "' is not an IPv4 address");
            }
            int octet = Integer.parseInt(part);
            if (octet > 255) {
                throw new IllegalArgumentException("'" + text + "' has an octet above 255");
            }
            value = (value << 8) | octet;
        }
        return value;
    }

    /** Plain ASCII digits without a leading zero: Go's netip, and so Docker, reject 010 as ambiguous. */
    private static boolean isDecimal(String part) {
        if (part.isEmpty() || (part.length() > 1 && part.charAt(0) == '0')) {
            return false;
        }
        return part.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    public static String formatAddress(int address) {
        return ((address >>> 24) & 0xff) + "." + ((address >>> 16) & 0xff) + "."
                + ((address >>> 8) & 0xff) + "." + (address & 0xff);
    }

    private static int mask(int prefix) {
        return prefix == 0 ? 0 : -1 << (32 - prefix);
    }

    /** The address at {@code offset} from the network address: {@code host(101)} of a /24 is .101. */
    public String host(int offset) {
        if (offset < 0 || (long) offset >= size()) {
            throw new IllegalArgumentException("offset " + offset + " is outside " + this);
        }
        return formatAddress(network + offset);
    }

    /** The network address, such as {@code 10.125.125.0}. */
    public String address() {
        return formatAddress(network);
    }

    /** The last address, which Docker never hands out (broadcast). */
    public String broadcast() {
        return formatAddress(network | ~mask(prefix));
    }

    /** Number of addresses in the subnet, network and broadcast included. */
    public long size() {
        return 1L << (32 - prefix);
    }

    /**
     * The upper quarter of the subnet, from which the engine hands out addresses to containers
     * that ask for none (kind nodes). lo's fixed addresses (.2 up, .101 up) stay below it, so a
     * node joining while a registry is down can never take that registry's address.
     */
    public Cidr dynamicRange() {
        if (prefix > 30) {
            throw new IllegalArgumentException(this + " is too small to split");
        }
        return new Cidr(network + (int) (size() / 4 * 3), prefix + 2);
    }

    /** Offset of the first address of {@link #dynamicRange()}: fixed addresses must be below it. */
    public int firstDynamicOffset() {
        return (int) (size() / 4 * 3);
    }

    /** The gateway Docker assigns by default: the first host address. */
    public String gateway() {
        return host(1);
    }

    public boolean contains(String address) {
        return (parseAddress(address) & mask(prefix)) == network;
    }

    public boolean overlaps(Cidr other) {
        int shorter = Math.min(prefix, other.prefix);
        return (network & mask(shorter)) == (other.network & mask(shorter));
    }

    /** The third octet, which lok8s calls the project's slot for a 10.125.N.0/24 subnet. */
    public int thirdOctet() {
        return (network >>> 8) & 0xff;
    }

    @Override
    public String toString() {
        return formatAddress(network) + "/" + prefix;
    }
}
