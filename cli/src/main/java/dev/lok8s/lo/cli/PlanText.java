package dev.lok8s.lo.cli;

import dev.lok8s.lo.plan.PlannedNetwork;
import dev.lok8s.lo.plan.PlannedRegistry;
import dev.lok8s.lo.plan.PlannedStep;
import dev.lok8s.lo.plan.RegistryPlan;
import dev.lok8s.lo.reconcile.StepDecision;

import java.io.PrintWriter;
import java.util.List;

/** The human-readable rendering of a plan for {@code lo provision --dry-run}. */
final class PlanText {

    private PlanText() {
    }

    static void print(RegistryPlan plan, PrintWriter out) {
        out.printf("Plan for %s (%s, slot %d), plan hash %s%n", plan.project(), plan.domain(), plan.slot(),
                plan.hash().substring(0, 12));
        out.println("Networks:");
        for (PlannedNetwork network : plan.networks()) {
            out.printf("  %-28s %-18s %s%n", network.name(), network.cidr(), network.scope().label());
        }
        out.printf("Registries (%s on :%d, image %s):%n", plan.tls() ? "https" : "http", plan.port(), plan.image());
        for (PlannedRegistry registry : plan.registries()) {
            out.printf("  %-34s %-16s %-20s %-16s %s%n", registry.container(), registry.ip(), registry.network(),
                    registry.hostname(), (registry.upstream() == null ? registry.role().label()
                            : "-> " + registry.upstream())
                            + (registry.pushAddress() == null ? "" : "  push " + registry.pushAddress()));
        }
        if (plan.tls()) {
            out.println("Certificate SANs: " + String.join(", ", plan.tlsSans()));
        }
        out.println("containerd certs.d: " + plan.certsDir() + " (" + plan.certsFiles().size() + " files)");
        out.println("Steps:");
        int n = 1;
        for (PlannedStep step : plan.steps()) {
            out.printf("  %2d. %-44s after %s%n", n++, step.id(),
                    step.dependsOn().isEmpty() ? "-" : String.join(", ", step.dependsOn()));
        }
        out.flush();
    }

    /** What each step would do now, against the live machine: outcome, then one line per action. */
    static void printActions(List<? extends StepDecision<?>> decisions, PrintWriter out) {
        long changing = decisions.stream().filter(d -> d.mutates()).count();
        out.printf("Actions against the machine now (%d of %d steps change something):%n", changing, decisions.size());
        for (var decision : decisions) {
            out.printf("  %-44s %s%n", decision.step(), decision.outcome());
            for (var action : decision.actions()) {
                out.printf("      %-10s %s: %s%n", action.verb().word(), action.target(),
                        action.reason().replace("\n", "\n                 "));
            }
            decision.warnings().forEach(w -> out.println("      warning: " + w));
        }
        out.flush();
    }
}
