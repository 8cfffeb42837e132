package dev.lok8s.lo.cli;

import dev.lok8s.lo.failure.Reason;
import dev.lok8s.lo.spec.SafeText;
import dev.lok8s.lo.upstream.PullBudget;
import dev.lok8s.lo.status.DoctorReport;
import dev.lok8s.lo.status.RegistryStatusReport;
import dev.lok8s.lo.status.RegistryStatusReport.RegistryStatus;

import java.io.PrintWriter;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Renders a {@link RegistryStatusReport} in the layout of the user documentation: container,
 * IP, state, then reachability, catalog URL and, for shared mirrors, the projects using them.
 */
final class RegistryStatusText {

    /** The documentation's column widths; longer names widen the first column. */
    private static final int NAME_WIDTH = 27;
    private static final int IP_WIDTH = 15;

    private RegistryStatusText() {
    }

    static String render(RegistryStatusReport report) {
        StringBuilder out = new StringBuilder();
        int width = Math.max(NAME_WIDTH, report.all().stream().mapToInt(r -> r.container().length() + 3).max()
                .orElse(0));
        int stateWidth = report.all().stream().mapToInt(r -> r.display().length() + 2).max().orElse(9);
        if (report.sharedNetwork() != null) {
            out.append("Shared mirrors (").append(report.sharedNetwork().name()).append(" network):\n");
            lines(out, report.shared(), width, stateWidth, true, unpublished(report));
        }
        out.append("Per-project registries (").append(report.projectNetwork().name()).append(" network, slot ")
                .append(report.slot()).append("):\n");
        lines(out, report.projectRegistries(), width, stateWidth, false, unpublished(report));
        List<RegistryStatus> upstreams = report.all().stream()
                .filter(r -> r.offline() || r.upstreamProblem() != null || shownBudget(r.pullBudget())).toList();
        if (!upstreams.isEmpty()) {
            out.append("Upstreams:\n");
            for (RegistryStatus r : upstreams) {
                if (r.offline()) {
                    out.append("  ").append(r.container()).append(": offline: serving its cache (read-only; ")
                            .append(r.upstream()).append(" did not answer when it started)\n");
                }
                if (r.upstreamProblem() != null) {
                    out.append("  ").append(r.container()).append(": ").append(r.upstreamProblem().message())
                            .append(r.upstreamProblem().fix() == null ? ""
                                    : "; " + Reason.fixLine(r.upstreamProblem().fix())).append('\n');
                }
                if (shownBudget(r.pullBudget())) {
                    out.append("  ").append(r.container()).append(": pull budget ")
                            .append(SafeText.shown(r.pullBudget().summary())).append('\n');
                    Reason low = r.pullBudget().warning();
                    if (low != null) {
                        out.append("  ").append(r.container()).append(": warning: ").append(low.message()).append("; ")
                                .append(Reason.fixLine(low.fix())).append('\n');
                    }
                }
            }
        }
        if (!report.drift().isEmpty()) {
            out.append("Drift:\n");
            for (RegistryStatusReport.Drift drift : report.drift()) {
                out.append("  ").append(drift.message()).append('\n');
                out.append("    fix: ").append(drift.fix()).append('\n');
            }
        }
        return out.toString();
    }

    /** A budget the text shows: reported, or unknown with its reason; "not reported" only in JSON. */
    private static boolean shownBudget(PullBudget budget) {
        return budget != null && budget.state() != PullBudget.State.NOT_REPORTED;
    }

    /** The registries running without their host port (drift {@code HOST_PORT_MISSING}). */
    private static Set<String> unpublished(RegistryStatusReport report) {
        return report.drift().stream().filter(d -> d.kind() == RegistryStatusReport.DriftKind.HOST_PORT_MISSING)
                .map(RegistryStatusReport.Drift::container).collect(Collectors.toSet());
    }

    private static void lines(StringBuilder out, List<RegistryStatus> registries, int width, int stateWidth,
                              boolean shared, Set<String> unpublished) {
        for (RegistryStatus r : registries) {
            String reach = r.reachable() == null ? "-" : r.reachable() ? "reachable" : "unreachable";
            StringBuilder line = new StringBuilder("  ").append(pad(r.container(), width)).append(pad(r.ip(), IP_WIDTH))
                    .append(pad(r.display(), stateWidth)).append(pad(reach, 13)).append(r.catalogUrl());
            if (shared) {
                line.append("  used by: ").append(r.usedBy().isEmpty() ? "-" : String.join(", ", r.usedBy()));
            }
            if (r.pushAddress() != null) {
                line.append("  push: ").append(r.pushAddress())
                        .append(unpublished.contains(r.container()) ? " (not published: see drift)" : "");
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
    }

    static String render(DoctorReport report) {
        if (report.healthy()) {
            return "ok: " + report.project() + " (" + report.domain() + ") looks healthy\n";
        }
        StringBuilder out = new StringBuilder();
        for (DoctorReport.Finding finding : report.findings()) {
            out.append(Reason.errorLine(finding.message())).append('\n');
            out.append("  fix: ").append(finding.fix()).append('\n');
        }
        return out.toString();
    }

    static void print(String text, PrintWriter out) {
        out.print(text);
        out.flush();
    }

    private static String pad(String text, int width) {
        String value = text == null ? "-" : text;
        return value.length() >= width ? value + " " : value + " ".repeat(width - value.length());
    }
}
