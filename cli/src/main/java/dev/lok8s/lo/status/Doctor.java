package dev.lok8s.lo.status;

import dev.lok8s.lo.engine.ContainerInfo;
import dev.lok8s.lo.engine.NetworkInfo;
import dev.lok8s.lo.plan.Labels;
import dev.lok8s.lo.plan.MirrorMode;
import dev.lok8s.lo.plan.PlannedNetwork;
import dev.lok8s.lo.plan.RegistryPlan;
import dev.lok8s.lo.plan.Role;
import dev.lok8s.lo.plan.SubnetMismatch;
import dev.lok8s.lo.status.DoctorReport.Finding;
import dev.lok8s.lo.status.RegistryStatusReport.Drift;
import dev.lok8s.lo.status.RegistryStatusReport.RegistryStatus;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The checks of the documentation's troubleshooting section, as a pure function of the plan, the
 * status report and what was observed: subnet mismatches, kind nodes missing a network, build
 * and cache off their .101/.102, registries down or silent, and every drift of the status report.
 */
public final class Doctor {

    private Doctor() {
    }

    /** A mismatch as a finding: its headline (a project network is reported whatever is on it) and the command. */
    private static Finding subnet(SubnetMismatch mismatch) {
        SubnetMismatch.Text text = mismatch.text();
        return new Finding("subnet", text.headline(), text.command());
    }

    public static DoctorReport examine(RegistryPlan plan, RegistryStatusReport status,
                                       RegistryStatusService.Observed observed) {
        List<Finding> findings = new ArrayList<>();
        String domain = plan.domain();
        for (PlannedNetwork network : plan.networks().reversed()) { // the shared network's finding first
            NetworkInfo found = observed.networks().get(network.name());
            if (found != null) {
                SubnetMismatch.of(domain, network, found.subnet(), found.containers().keySet(),
                        Labels.MANAGED_BY_LO.equals(found.labels().get(Labels.MANAGED_BY))).ifPresent(m ->
                        findings.add(subnet(m)));
            }
        }
        for (ContainerInfo node : observed.nodes().stream().sorted(Comparator.comparing(ContainerInfo::name)).toList()) {
            for (PlannedNetwork network : plan.networks()) {
                if (!node.networks().containsKey(network.name())) {
                    findings.add(new Finding("node-networks", "kind node " + node.name()
                            + " is not connected to network '" + network.name() + "'",
                            "docker network connect " + network.name() + " " + node.name()));
                }
            }
        }
        List<String> wrongAddress = status.drift().stream()
                .filter(d -> d.kind() == RegistryStatusReport.DriftKind.WRONG_ADDRESS).map(Drift::container).toList();
        for (RegistryStatus registry : status.projectRegistries()) {
            boolean own = registry.role() == Role.BUILD || registry.role() == Role.CACHE;
            if (!own || wrongAddress.contains(registry.container())) {
                continue; // mirrors' state is in the status report; wrong addresses are drift below
            }
            if (!registry.running()) {
                findings.add(new Finding("registry", registry.role() + " registry " + registry.container()
                        + " is " + registry.display().toLowerCase(Locale.ROOT),
                        "lo registry up " + domain));
            } else if (Boolean.FALSE.equals(registry.reachable())) {
                findings.add(new Finding("registry", registry.role() + " registry " + registry.container()
                        + " does not answer on " + registry.catalogUrl() + " (" + registry.probeError() + ")",
                        "docker logs " + registry.container()));
            }
        }
        for (RegistryStatus mirror : status.all()) {
            if (mirror.role() == Role.MIRROR && mirror.running() && Boolean.FALSE.equals(mirror.reachable())) {
                findings.add(new Finding("mirror", "mirror " + mirror.container() + " (" + mirror.ip()
                        + ") is running but does not answer on " + mirror.catalogUrl()
                        + ": a pull-through registry listens only once its upstream " + mirror.upstream() + " answers",
                        "check that " + mirror.upstream() + " is reachable from network '" + mirror.network()
                                + "' (docker logs " + mirror.container() + ")"));
            }
        }
        for (RegistryStatus mirror : status.all()) {
            if (mirror.upstreamProblem() != null) {
                findings.add(new Finding("upstream-login", "mirror " + mirror.container() + ": "
                        + mirror.upstreamProblem().message(), mirror.upstreamProblem().fix()));
            }
            var upstream = observed.upstreams().get(mirror.container());
            if (mirror.offline() && mirror.running() && upstream != null
                    && upstream.mode() == MirrorMode.PROXY) {
                findings.add(new Finding("mirror-offline", "mirror " + mirror.container() + " serves its cache only,"
                        + " but its upstream " + mirror.upstream() + " answers again", "lo registry up " + domain));
            }
        }
        for (Drift drift : status.drift()) {
            findings.add(new Finding(drift.kind() == RegistryStatusReport.DriftKind.HOST_PORT_MISSING ? "host-port"
                    : "drift", "" + drift.message(), drift.fix()));
        }
        return new DoctorReport(plan.project(), domain, findings);
    }
}
