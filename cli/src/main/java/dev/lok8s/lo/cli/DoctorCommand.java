package dev.lok8s.lo.cli;

import dev.lok8s.lo.plan.RegistryPlan;
import dev.lok8s.lo.status.DoctorReport;
import picocli.CommandLine.Command;

@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = {"The troubleshooting checks: subnet mismatches, kind nodes missing a network, build and cache "
                + "off .101/.102, registries down, and drift between the log and Docker; each with its fix.",
                "Exit code 0 when healthy, 1 when something is wrong."})
public class DoctorCommand extends ProjectReportCommand {

    @Override
    int report(RegistryPlan plan) {
        DoctorReport report = RegistryCommand.statusService(plan, store, engine, upstreams, output.err()).doctor(plan);
        if (output.json()) {
            output.printJson(report);
        } else {
            RegistryStatusText.print(RegistryStatusText.render(report), output.out());
        }
        return report.healthy() ? ExitCodes.OK : ExitCodes.FAILED;
    }
}
