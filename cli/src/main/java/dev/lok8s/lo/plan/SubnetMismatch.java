package dev.lok8s.lo.plan;

import dev.lok8s.lo.failure.Reason;
import dev.lok8s.lo.spec.Cidr;

import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A network the spec asks for meets a subnet that is already taken: the facts, and the one place
 * the words for them are written ({@link #render}). Found in three places: the log's read models
 * before a provision touches Docker ({@code projection.SubnetMismatches}), the live engine when a
 * provision decides {@code check-subnets} ({@code reconcile.ProvisionRules}), and {@code lo doctor}; the
 * last two detect it in one way, {@link #of}.
 */
public sealed interface SubnetMismatch {

    /**
     * The one detection of a planned network found with another subnet, for provision's rules and for
     * {@code lo doctor} alike: the mismatch, or empty when the network has the planned subnet. Subnets
     * are compared as CIDRs ({@link #sameSubnet}).
     *
     * @param foundSubnet the subnet the network exists with
     * @param attached    the containers on it
     * @param createdByLo whether it carries lo's label
     */
    static Optional<SubnetMismatch> of(String domain, PlannedNetwork planned, String foundSubnet,
                                                 Collection<String> attached, boolean createdByLo) {
        if (sameSubnet(foundSubnet, planned.cidr())) {
            return Optional.empty();
        }
        return Optional.of(planned.scope() == Scope.SHARED
                ? new SharedNetworkSubnet(domain, planned.name(), foundSubnet, planned.cidr())
                : new ProjectNetworkSubnet(domain, planned.name(), foundSubnet, planned.cidr(), List.copyOf(attached),
                createdByLo));
    }

    /**
     * Whether a subnet found is the one planned, as networks: {@code 10.1.0.0/24} and {@code 10.1.0.7/24}
     * are the same subnet. A text that is no CIDR (an engine's odd answer, none at all) is compared as text.
     */
    static boolean sameSubnet(String found, String planned) {
        if (Objects.equals(found, planned)) {
            return true;
        }
        try {
            return found != null && planned != null
                    && Cidr.parse(found).equals(Cidr.parse(planned));
        } catch (IllegalArgumentException notACidr) {
            return false;
        }
    }

    enum Kind {
        /** The shared registry network exists with another subnet than the spec asks for. */
        SHARED_NETWORK_SUBNET,
        /** The project network exists with another subnet, and lo cannot simply recreate it. */
        PROJECT_NETWORK_SUBNET,
        /** Another project on this machine already uses the spec's project subnet. */
        PROJECT_SUBNET_IN_USE
    }

    Kind kind();

    /** The domain of the spec that asked. */
    String domain();

    /** The spec's network the mismatch is about: the shared network, or the project network. */
    String network();

    /** The subnet found: the network's, or the other project's. */
    String existingCidr();

    /** The subnet the spec asks for. */
    String expectedCidr();

    /** The project already using the subnet ({@link Kind#PROJECT_SUBNET_IN_USE}), else null. */
    default String otherProject() {
        return null;
    }

    /** The words for it: message and fix, without the {@code error: }/{@code fix: } of the printed lines. */
    default Text text() {
        return render(this);
    }

    /** What is wrong, one line, without {@code error: }. */
    default String message() {
        return text().message();
    }

    /** How to fix it, one line, without {@code fix: }. */
    default String fix() {
        return text().fix();
    }

    /** Message and fix as the failure lo reports (a refused step, a rejected run). */
    default Reason reason() {
        return text().reason();
    }

    /** The two lines lo prints: {@code error: <message>} and {@code fix: <fix>}. */
    default String lines() {
        return reason().lines();
    }

    /** The shared registry network exists with another subnet. */
    record SharedNetworkSubnet(String domain, String network, String existingCidr, String expectedCidr)
            implements SubnetMismatch {
        @Override
        public Kind kind() {
            return Kind.SHARED_NETWORK_SUBNET;
        }
    }

    /**
     * The project network exists with another subnet.
     *
     * @param attachedContainers the containers on it, sorted
     * @param createdByLo        whether it carries lo's label (an empty one of lo's own is recreated, not refused)
     */
    record ProjectNetworkSubnet(String domain, String network, String existingCidr, String expectedCidr,
                                List<String> attachedContainers, boolean createdByLo) implements SubnetMismatch {
        public ProjectNetworkSubnet {
            attachedContainers = attachedContainers.stream().sorted().toList();
        }

        @Override
        public Kind kind() {
            return Kind.PROJECT_NETWORK_SUBNET;
        }
    }

    /**
     * Another project of this machine already uses (overlaps) the spec's project subnet.
     *
     * @param expectedCidr the spec's project subnet
     * @param existingCidr the other project's subnet
     */
    record ProjectSubnetInUse(String domain, String network, String expectedCidr, String otherProject,
                              String otherDomain, String existingCidr) implements SubnetMismatch {
        @Override
        public Kind kind() {
            return Kind.PROJECT_SUBNET_IN_USE;
        }
    }

    /**
     * The words for a mismatch.
     *
     * @param message  what is wrong (without {@code error: })
     * @param fix      how to fix it (without {@code fix: })
     * @param headline the message without its reason (what {@code lo doctor} prints)
     * @param command  the command line the fix ends with, null when it names none
     */
    record Text(String message, String fix, String headline, String command) {
        /** As a failure: {@link Reason#lines()} prints it ({@code error: <message>}, newline, {@code fix: <fix>}). */
        public Reason reason() {
            return Reason.of(message, fix);
        }
    }

    /** The one renderer: every subnet-mismatch text lo prints is written here. */
    static Text render(SubnetMismatch mismatch) {
        return switch (mismatch) {
            case SharedNetworkSubnet m -> {
                String headline = "registry network '" + m.network() + "' exists with subnet " + m.existingCidr()
                        + ", expected " + m.expectedCidr();
                String command = "lo registry clean --shared && lo provision " + m.domain();
                yield new Text(headline, "align spec.registries.shared.network.cidr with the existing network, or run: "
                        + command, headline, command);
            }
            case ProjectNetworkSubnet m -> {
                String headline = "project network '" + m.network() + "' exists with subnet " + m.existingCidr()
                        + ", expected " + m.expectedCidr();
                String reason = !m.attachedContainers().isEmpty()
                        ? " and containers are attached: " + String.join(", ", m.attachedContainers())
                        : m.createdByLo() ? "" : " (it was not created by lo)";
                String command = "lo destroy " + m.domain() + " && lo provision " + m.domain();
                yield new Text(headline + reason, "align spec.network.cidr with the existing network, or clean and "
                        + "re-provision: " + command, headline, command);
            }
            case ProjectSubnetInUse m -> {
                String headline = "project subnet " + m.expectedCidr() + " is already used by project '"
                        + m.otherProject() + "' (domain " + m.otherDomain() + ", subnet " + m.existingCidr() + ")";
                yield new Text(headline, "choose another slot in spec.network.cidr, or destroy project '"
                        + m.otherProject() + "' (" + m.otherDomain() + ") first", headline, null);
            }
        };
    }
}
