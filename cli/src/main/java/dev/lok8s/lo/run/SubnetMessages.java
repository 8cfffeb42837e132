package dev.lok8s.lo.run;

import java.util.Collection;

/** The subnet-mismatch errors, worded as in the user documentation's troubleshooting section. */
public final class SubnetMessages {

    private SubnetMessages() {
    }

    public static String sharedMismatch(String network, String existing, String expected, String domain) {
        return "error: registry network '" + network + "' exists with subnet " + existing + ", expected " + expected
                + "\nfix: align spec.registries.shared.network.cidr with the existing network, or run: "
                + "lo registry clean --shared && lo provision " + domain;
    }

    public static String projectMismatch(String network, String existing, String expected,
                                         Collection<String> attached, String domain) {
        return "error: project network '" + network + "' exists with subnet " + existing + ", expected " + expected
                + (attached.isEmpty() ? " (it was not created by lo)" : " and containers are attached: "
                + String.join(", ", attached.stream().sorted().toList()))
                + "\nfix: align spec.network.cidr with the existing network, or clean and re-provision: "
                + "lo destroy " + domain + " && lo provision " + domain;
    }
}
