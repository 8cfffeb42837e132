package dev.lok8s.lo.events;

import dev.lok8s.lo.plan.MirrorMode;
import java.util.UUID;

/** A short human line for an event's payload, as {@code lo history} prints it. */
public final class EventSummary {

    private EventSummary() {
    }

    public static String of(LoEvent event) {
        return switch (event) {
            case RunStarted e -> e.command() + " " + nz(e.project()) + " pid " + e.pid() + "@" + nz(e.host());
            case RunResumed e -> e.command() + " " + nz(e.project()) + " pid " + e.pid() + "@" + nz(e.host()) + ", "
                    + e.completedSteps() + " steps already done";
            case LeaseTakenOver e -> nz(e.project()) + " from run " + shortId(e.previousRunId()) + " (pid "
                    + e.previousPid() + "@" + nz(e.previousHost()) + ", gone)";
            case RunCompleted e -> nz(e.project()) + " in " + e.durationMs() + " ms";
            case RunFailed e -> "at " + nz(e.step()) + ": " + nz(e.error());
            case RunRejected e -> nz(e.command()) + ": " + nz(e.reason());
            case StepCompleted e -> e.stepId() + " " + e.outcome() + " " + e.durationMs() + " ms";
            case NetworkCreated e -> e.network() + " " + e.cidr();
            case NetworkAdopted e -> e.network() + " " + e.cidr();
            case NetworkRemoved e -> e.network();
            case RegistryStarted e -> e.container() + " " + (e.role() == null ? "-" : e.role().label()) + " " + e.network() + " " + e.ip()
                    + (e.hostPort() == null ? "" : " push localhost:" + e.hostPort());
            case MirrorStarted e -> e.container() + " " + e.network() + " " + e.ip() + " -> " + e.upstream()
                    + (e.mode() == MirrorMode.OFFLINE ? " (offline: serving its cache)" : "")
                    + (e.loginFingerprint() == null ? "" : " with login " + ShortId.of(e.loginFingerprint()));
            case RegistryStopped e -> e.container();
            case RegistryRemoved e -> e.container();
            case CertIssued e -> "sans " + String.join(",", e.sans()) + " until " + e.notAfter();
            case CertsDirWritten e -> e.path() + " (" + (e.files() == null ? 0 : e.files().size()) + " files)";
            case ClusterCreated e -> e.cluster() + " nodes " + (e.nodes() == null ? "" : String.join(",", e.nodes()));
            case ClusterDeleted e -> e.cluster();
            case NodeConnected e -> e.node() + " -> " + e.network() + " " + nz(e.ip());
            case NodeDisconnected e -> e.node() + " -/- " + e.network();
            case SubnetMismatchDetected e -> e.network() + " is " + e.existingCidr() + ", spec wants " + e.expectedCidr()
                    + (e.otherProject() == null ? "" : " (created by " + e.otherProject() + ")");
            case ImageWarmed e -> e.image() + (e.cached() ? " already in " : " via ") + e.mirror() + " "
                    + nz(e.digest()) + " " + e.bytes() + " bytes, " + e.blobs() + " blobs";
            case ClusterRegistriesPublished e -> nz(e.cluster()) + ": "
                    + (e.configMaps() == null || e.configMaps().isEmpty() ? "ConfigMaps up to date, nothing written"
                    : String.join(", ", e.configMaps()));
            case MirrorLogRead e -> e.mirror() + " up to " + e.until() + ": " + e.images().size() + " images, "
                    + e.traffic().stream().mapToInt(MirrorLogRead.Traffic::hits).sum() + " hits, "
                    + e.traffic().stream().mapToInt(MirrorLogRead.Traffic::misses).sum() + " misses"
                    + (e.cut() ? " (cut)" : "");
            case ImagePruned e -> e.image() + " from " + e.mirror() + " " + nz(e.digest()) + " " + e.bytes() + " bytes";
            case CachePruned e -> e.mirror() + ": " + e.images() + " images, " + e.blobsDeleted() + " blobs, volume "
                    + e.bytesBefore() + " -> " + e.bytesAfter() + " bytes";
            case UnrecognizedEvent e -> "(unknown to this lo: " + e.type() + " v" + e.schemaVersion() + ")";
        };
    }

    private static String shortId(UUID id) {
        return id == null ? "-" : ShortId.of(id);
    }

    private static String nz(Object o) {
        return o == null ? "-" : o.toString();
    }
}
