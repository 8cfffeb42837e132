package dev.lok8s.lo.projection;

/**
 * A reason a spec cannot be provisioned on this machine as recorded, with the fix.
 *
 * @param error one line starting with {@code error: }
 * @param fix   one line starting with {@code fix: }
 * @param existingCidr the subnet the log records: the shared network's, or the other project's
 * @param otherProject the project already using the subnet, for {@link Kind#PROJECT_SUBNET_IN_USE}
 */
public record SubnetMismatch(Kind kind, String error, String fix, String existingCidr, String otherProject) {

    public enum Kind {
        /** The shared registry network exists with another subnet than the spec asks for. */
        SHARED_NETWORK_SUBNET,
        /** Another project on this machine already uses the spec's project subnet. */
        PROJECT_SUBNET_IN_USE
    }

    /** Both lines, as printed to stderr. */
    public String message() {
        return error + "\n" + fix;
    }
}
