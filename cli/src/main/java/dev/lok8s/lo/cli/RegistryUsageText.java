package dev.lok8s.lo.cli;

import dev.lok8s.lo.cache.ByteSize;
import dev.lok8s.lo.cache.UsageReport;
import dev.lok8s.lo.failure.Reason;
import dev.lok8s.lo.spec.SafeText;
import dev.lok8s.lo.upstream.PullBudget;

import java.io.PrintWriter;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/** The text of {@code lo registry usage}: one row per registry, then the total. Pure but for printing. */
final class RegistryUsageText {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'")
            .withZone(ZoneOffset.UTC);

    private RegistryUsageText() {
    }

    static List<String> render(UsageReport report) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[]{"REGISTRY", "SCOPE", "CONTAINER", "STATE", "SIZE", "REPOS", "TAGS", "LAST PULL",
                "USED BY"});
        for (UsageReport.RegistryUsage r : report.registries()) {
            String more = r.truncated() ? "+" : "";
            rows.add(new String[]{r.name(), r.scope().label(), r.container(), r.state(),
                    r.volumeBytes() == null ? "-" : ByteSize.human(r.volumeBytes()),
                    r.repositories() == null ? "-" : r.repositories() + more,
                    r.tags() == null ? "-" : r.tags() + more,
                    // the image comes from a log line any client of the registry wrote: shown safely
                    r.lastPull() == null ? "-" : TIME.format(r.lastPull()) + " " + SafeText.shown(r.lastPullImage()),
                    r.usedBy().isEmpty() ? "-" : String.join(",", r.usedBy())});
        }
        int[] widths = new int[rows.getFirst().length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        List<String> lines = new ArrayList<>();
        lines.add("Registries of " + report.project() + " (" + report.domain() + "):");
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder("  ");
            for (int i = 0; i < row.length; i++) {
                line.append(i == row.length - 1 ? row[i] : pad(row[i], widths[i] + 2));
            }
            lines.add(line.toString().stripTrailing());
        }
        lines.add("Total on disk: " + ByteSize.human(report.totalBytes()));
        List<String[]> traffic = new ArrayList<>();
        traffic.add(new String[]{"MIRROR", "PROJECT", "HITS", "MISSES", "SAVED", "FETCHED"});
        for (UsageReport.RegistryUsage r : report.registries()) {
            if (r.traffic() == null) {
                continue;
            }
            UsageReport.Traffic t = r.traffic();
            traffic.add(new String[]{r.name(), "all", String.valueOf(t.hits()), String.valueOf(t.misses()),
                    ByteSize.human(t.hitBytes()), ByteSize.human(t.missBytes())});
            for (UsageReport.Counts c : t.projects()) {
                traffic.add(new String[]{"", c.project() == null ? "(other)" : c.project(), String.valueOf(c.hits()),
                        String.valueOf(c.misses()), ByteSize.human(c.hitBytes()), ByteSize.human(c.missBytes())});
            }
        }
        if (traffic.size() > 1) {
            lines.add("Mirror traffic (blob requests; hits served from the cache, misses fetched from upstream):");
            lines.addAll(table(traffic));
        }
        List<String[]> budgets = new ArrayList<>();
        budgets.add(new String[]{"MIRROR", "UPSTREAM", "LEFT", "LIMIT", "WINDOW", "AS"});
        for (UsageReport.RegistryUsage r : report.registries()) {
            PullBudget b = r.pullBudget();
            if (b == null) {
                continue;
            }
            String as = b.user() == null ? "anonymous" : SafeText.shown(b.user());
            budgets.add(switch (b.state()) {
                case REPORTED -> new String[]{r.name(), upstreamOf(r), String.valueOf(b.remaining()),
                        String.valueOf(b.limit()), b.window() == null ? "-" : b.window(), as};
                case NOT_REPORTED -> new String[]{r.name(), upstreamOf(r), "-", "-", "-", as + " (not reported)"};
                case UNKNOWN -> new String[]{r.name(), upstreamOf(r), "?", "?", "?",
                        as + " (unknown: " + SafeText.shown(b.reason()) + ")"};
            });
        }
        if (budgets.size() > 1) {
            lines.add("Pull budget (what each mirror's upstream says its login has left; ratelimit-* headers):");
            lines.addAll(table(budgets));
        }
        return lines;
    }

    /** The mirror's upstream host; its container name when the report does not know it. */
    private static String upstreamOf(UsageReport.RegistryUsage r) {
        return r.pullBudget() == null || r.pullBudget().upstream() == null ? "-" : r.pullBudget().upstream();
    }

    /** {@code warning: <mirror>: ...} and its {@code fix:} for each mirror whose budget is low. */
    static List<String> budgetWarnings(UsageReport report) {
        List<String> lines = new ArrayList<>();
        for (UsageReport.RegistryUsage r : report.registries()) {
            Reason low = r.pullBudget() == null ? null : r.pullBudget().warning();
            if (low != null) {
                lines.add("warning: " + r.container() + ": " + low.message());
                lines.add(Reason.fixLine(low.fix()));
            }
        }
        return lines;
    }

    private static List<String> table(List<String[]> rows) {
        int[] widths = new int[rows.getFirst().length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        List<String> lines = new ArrayList<>();
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder("  ");
            for (int i = 0; i < row.length; i++) {
                line.append(i == row.length - 1 ? row[i] : pad(row[i], widths[i] + 2));
            }
            lines.add(line.toString().stripTrailing());
        }
        return lines;
    }

    static void print(UsageReport report, PrintWriter out) {
        render(report).forEach(out::println);
        out.flush();
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }
}
