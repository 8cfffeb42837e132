package dev.lok8s.lo.status;

import dev.lok8s.lo.engine.ContainerInfo;
import dev.lok8s.lo.engine.NetworkInfo;
import dev.lok8s.lo.plan.Labels;
import dev.lok8s.lo.plan.Planner;
import dev.lok8s.lo.status.RegistryStatusReport.Drift;
import dev.lok8s.lo.status.RegistryStatusReport.DriftKind;

import java.util.ArrayList;
import java.util.List;

/**
 * Where one registry's container differs from what is expected of it: the one set of drift rules
 * behind {@code lo registry status} with a plan ({@link RegistryStatusService}) and without one, from
 * the log alone ({@link RecordedRegistryStatus}). Pure: what Docker showed comes in as values.
 */
final class RegistryDrift {

    /** Who expects what: the plan ("planned for", "the plan has") or the log ("recorded for", "the log records"). */
    enum Source {
        PLAN("planned for", "the plan has"),
        LOG("recorded for", "the log records");

        private final String claimedFor;
        private final String has;

        Source(String claimedFor, String has) {
            this.claimedFor = claimedFor;
            this.has = has;
        }
    }

    /**
     * What is expected of one registry.
     *
     * @param ip            its address on {@code network}; null when the log recorded none (not checked then)
     * @param configHash    its config hash; null when the log recorded none (not checked then)
     * @param loggedState   the state the log records for it ({@code running}, ...); null when none
     * @param addressNote   the words after "... on network 'n'" when its address is wrong
     * @param addressFix    the fix for a wrong address
     * @param restartHint   what follows {@code docker logs <container>} as the fix when it keeps restarting
     * @param hostPort      the loopback port of the host it is published on (build and cache); null when none
     *                      is planned or recorded (not checked then)
     */
    record Expected(Source source, String container, String network, String ip, String configHash,
                    String loggedState, boolean mirror, String upstream, String addressNote, String addressFix,
                    String restartHint, Integer hostPort) {
    }

    private RegistryDrift() {
    }

    /**
     * @param container what Docker has under the expected name; null for nothing
     * @param network   the expected network as Docker shows it; null when it is missing
     */
    static List<Drift> of(Expected expected, ContainerInfo container, NetworkInfo network, String domain) {
        List<Drift> drift = new ArrayList<>();
        String name = expected.container();
        String up = "lo registry up " + domain;
        if (network != null && expected.ip() != null) {
            network.containers().forEach((other, ip) -> {
                if (expected.ip().equals(ip) && !other.equals(name)) {
                    drift.add(new Drift(DriftKind.FOREIGN_ON_ADDRESS, name, "address " + ip + " on network '"
                            + expected.network() + "' is taken by container '" + other + "', "
                            + expected.source().claimedFor + " " + name,
                            "docker network disconnect " + expected.network() + " " + other + " && " + up));
                }
            });
        }
        if (container == null) {
            if ("running".equals(expected.loggedState())) {
                drift.add(new Drift(DriftKind.MISSING_CONTAINER, name, "the log records " + name
                        + " as running, but Docker has no such container", up));
            }
            return drift;
        }
        if (!Labels.MANAGED_BY_LO.equals(container.labels().get(Labels.MANAGED_BY))) {
            drift.add(new Drift(DriftKind.NOT_MANAGED, name, "container '" + name
                    + "' was not created by lo (no label " + Labels.MANAGED_BY + "=" + Labels.MANAGED_BY_LO + ")",
                    "remove or rename it (docker rm -f " + name + "), then " + up));
            return drift;
        }
        String actualIp = container.networks().get(expected.network());
        if (expected.ip() != null && !expected.ip().equals(actualIp)) {
            drift.add(new Drift(DriftKind.WRONG_ADDRESS, name, name + " has "
                    + (actualIp == null ? "no address" : "address " + actualIp) + " on network '"
                    + expected.network() + "', " + expected.addressNote(), expected.addressFix()));
        }
        String hash = container.labels().get(Labels.CONFIG_HASH);
        if (expected.configHash() != null && !expected.configHash().equals(hash)) {
            drift.add(new Drift(DriftKind.CONFIG_CHANGED, name, name + " runs registry config " + shortHash(hash)
                    + ", " + expected.source().has + " " + shortHash(expected.configHash()),
                    up + " (recreates it with the planned config)"));
        }
        if (expected.hostPort() != null && container.running()
                && container.ports().stream().noneMatch(p -> p.hostPort() == expected.hostPort())) {
            int port = expected.hostPort();
            // Without lo's port label (made by an lo before host ports, or with them off) up recreates it with
            // the port; with the label but no binding it would see nothing to change, so it must go first.
            boolean labelled = String.valueOf(port).equals(container.labels().get(Labels.HOST_PORT));
            drift.add(new Drift(DriftKind.HOST_PORT_MISSING, name, name + " runs without its host port "
                    + Planner.LOOPBACK_IP + ":" + port + ": docker push localhost:" + port + " does not reach it",
                    labelled ? "docker rm -f " + name + " && " + up + " (its volume and images stay)"
                            : up + " (recreates it with the port on the same volume; its images stay)"));
        }
        if ("restarting".equals(container.state())) {
            drift.add(new Drift(DriftKind.RESTARTING, name, expected.mirror()
                    ? "mirror " + name + " keeps restarting: its upstream " + expected.upstream() + " does not answer"
                    : name + " keeps restarting", "docker logs " + name + expected.restartHint()));
        }
        return drift;
    }

    static String shortHash(String hash) {
        return hash == null ? "(none)" : hash.substring(0, Math.min(12, hash.length()));
    }
}
