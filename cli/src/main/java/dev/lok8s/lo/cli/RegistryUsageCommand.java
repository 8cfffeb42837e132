package dev.lok8s.lo.cli;

import dev.lok8s.lo.cache.UsageReport;
import dev.lok8s.lo.cache.UsageService;
import dev.lok8s.lo.plan.RegistryPlan;
import dev.lok8s.lo.spec.SafeText;
import dev.lok8s.lo.upstream.MirrorUpstreams;
import picocli.CommandLine.Command;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.function.Supplier;


@Command(name = "usage", mixinStandardHelpOptions = true,
        description = {"How much each registry holds: disk used by its volume, repositories and tags in its catalog, "
                + "the last pull it served (from its recent log lines), and for shared mirrors the projects using them.",
                "Sizes in units in text, in bytes with -o json."})
public class RegistryUsageCommand extends ProjectReportCommand {

    @Override
    int report(RegistryPlan plan) {
        UsageReport report = withPullBudgets(plan, upstreams, () -> new UsageService(store, engine).report(plan));
        if (output.json()) {
            output.printJson(report);
        } else {
            RegistryUsageText.print(report, output.out());
            report.registries().stream().filter(r -> r.error() != null)
                    // a registry's error text is its own (or its upstream's): shown safely
                    .forEach(r -> output.err().println(SafeText.shown("warning: " + r.container() + ": " + r.error())));
            RegistryUsageText.budgetWarnings(report).forEach(output.err()::println);
            output.err().flush();
        }
        return ExitCodes.OK;
    }

    /**
     * The usage report with each mirror's pull budget, asked while the report is made (the budgets have their
     * own short deadline, {@link MirrorUpstreams#BUDGET_DEADLINE}).
     */
    static UsageReport withPullBudgets(RegistryPlan plan, MirrorUpstreams upstreams,
                                       Supplier<UsageReport> usage) {
        var budgets = CompletableFuture.supplyAsync(() -> upstreams.budgets(plan),
                Executors.newVirtualThreadPerTaskExecutor());
        try {
            return usage.get().withPullBudgets(budgets.join());
        } finally {
            budgets.cancel(true);
        }
    }
}
