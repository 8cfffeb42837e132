package dev.lok8s.lo.run;

import dev.lok8s.lo.failure.Reason;

import java.util.Collection;

/** The subnet-mismatch errors, worded as in the user documentation's troubleshooting section. */
public final class SubnetMessages {

    private SubnetMessages() {
    }

    public static Reason sharedMismatch(String network, String existing, String expected, String domain) {
        return Reason.of("registry network '" + network + "' exists with subnet " + existing + ", expected " + expected,
                "align spec.registries.shared.network.cidr with the existing network, or run: "
                        + "lo registry clean --shared && lo provision " + domain);
    }

    public static Reason projectMismatch(String network, String existing, String expected,
                                         Collection<String> attached, String domain) {
        return Reason.of("project network '" + network + "' exists with subnet " + existing + ", expected " + expected
                        + (attached.isEmpty() ? " (it was not created by lo)" : " and containers are attached: "
                        + String.join(", ", attached.stream().sorted().toList())),
                "align spec.network.cidr with the existing network, or clean and re-provision: "
                        + "lo destroy " + domain + " && lo provision " + domain);
    }
}
