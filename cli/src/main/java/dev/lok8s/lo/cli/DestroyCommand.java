package dev.lok8s.lo.cli;

import picocli.CommandLine.Command;

@Command(name = "destroy", mixinStandardHelpOptions = true,
        description = {"Delete the project's kind cluster, its build and cache registries (and, without a shared "
                + "network, its mirrors) with their volumes, then the project network once nothing else is attached.",
                "Shared mirrors stay for other projects ('lo registry clean --shared' removes them)."})
public class DestroyCommand extends RegistryCommand.TeardownCommand {

    @Override
    public Integer call() {
        var loaded = RunReport.load(project, config, provisions.get(), "destroy", output);
        return RunReport.print(teardown.get().destroy(loaded.plan(), options(), progress()), "destroy", output);
    }
}
