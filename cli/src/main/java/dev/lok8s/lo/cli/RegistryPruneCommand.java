package dev.lok8s.lo.cli;

import dev.lok8s.lo.cache.ByteSize;
import dev.lok8s.lo.cache.PruneChoice;
import dev.lok8s.lo.config.LoConfig;
import dev.lok8s.lo.failure.Reason;
import dev.lok8s.lo.plan.RegistryPlan;
import dev.lok8s.lo.run.PruneService;
import dev.lok8s.lo.run.ProvisionService;
import dev.lok8s.lo.spec.CacheLimits;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "prune", mixinStandardHelpOptions = true,
        description = {"Remove cached images from the project's pull-through mirrors, least recently pulled first, "
                + "until each mirror's volume is under --keep-storage, and every image not pulled for --unused-for; "
                + "then garbage-collect the blobs no remaining image uses (layers shared with kept images stay).",
                "Without either option the limits of spec.registries.prune apply. Each mirror is stopped for the "
                        + "deletes and the collection and started again; --dry-run lists what would go and changes "
                        + "nothing."})
public class RegistryPruneCommand implements Callable<Integer> {

    static final String COMMAND = PruneService.COMMAND;

    @Mixin
    ProjectOptions project;

    @Mixin
    OutputOptions output;

    @Option(names = "--keep-storage", paramLabel = "SIZE",
            description = "Keep at most SIZE per mirror, e.g. 10GB, 500MB, 2GiB.")
    String keepStorage;

    @Option(names = "--unused-for", paramLabel = "DURATION",
            description = "Remove images not pulled for DURATION, e.g. 30d, 12h, 2w.")
    String unusedFor;

    @Option(names = "--dry-run", description = "List each image that would be removed, with its bytes; change nothing.")
    boolean dryRun;

    @Option(names = "--wait", description = "Wait for another run of this project to finish instead of exiting.")
    boolean waitForLease;

    @Inject
    LoConfig config;

    @Inject
    Instance<ProvisionService> provisions;

    @Inject
    Instance<PruneService> service;

    @Override
    public Integer call() {
        ProjectOptions.Project loaded = RunReport.load(project, config, provisions.get(), COMMAND, output);
        RegistryPlan plan = loaded.plan();
        PruneService prune = service.get();
        CacheLimits limits;
        try {
            limits = new CacheLimits(keepStorage == null ? null : CacheLimits.parseSize(keepStorage),
                    unusedFor == null ? null : CacheLimits.parseDuration(unusedFor));
        } catch (IllegalArgumentException e) {
            String option = keepStorage != null && !isSize(keepStorage) ? "--keep-storage" : "--unused-for";
            Reason reason = Reason.of(option + ": " + e.getMessage());
            prune.reject(plan, reason, output.commandLine());
            output.err().println(reason.lines());
            return ExitCodes.INVALID;
        }
        if (limits.none()) {
            limits = loaded.spec().registries().prune();
        }
        if (limits.none()) {
            Reason reason = Reason.of("no limit to prune to: the options give none and spec.registries.prune sets none",
                    "lo registry prune " + plan.domain() + " --keep-storage 10GB (or --unused-for 30d), or set "
                            + "spec.registries.prune.keepStorage / unusedFor");
            prune.reject(plan, reason, output.commandLine());
            output.err().println(reason.lines());
            return ExitCodes.INVALID;
        }
        if (dryRun) {
            PruneService.Outcome outcome = prune.dryRun(plan, limits, output.commandLine(), Instant.now());
            print(outcome, limits);
            return ExitCodes.OK;
        }
        PruneService.Outcome outcome = prune.prune(plan, limits, waitForLease, output.commandLine(),
                new StepProgress(output.err(), StepProgress.onTerminal() && !output.json()), Instant.now());
        if (output.json()) {
            print(outcome, limits);
            if (outcome.run().completed()) {
                return ExitCodes.OK;
            }
            output.err().println(outcome.run().errorLines());
            output.err().flush();
            return outcome.run().failure().kind().exitCode();
        }
        print(outcome, limits);
        return RunReport.print(outcome.run(), COMMAND, output);
    }

    private static boolean isSize(String text) {
        try {
            CacheLimits.parseSize(text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private void print(PruneService.Outcome outcome, CacheLimits limits) {
        if (output.json()) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("runId", outcome.runId());
            json.put("command", COMMAND);
            json.put("dryRun", outcome.runId() == null);
            if (outcome.run() != null) {
                json.put("status", outcome.run().completed() ? "completed" : "failed");
                json.put("error", outcome.run().error());
                json.put("millis", outcome.run().millis());
            }
            json.put("keepStorage", limits.keepStorage());
            json.put("unusedFor", limits.unusedFor() == null ? null : limits.unusedFor().toString());
            List<Object> mirrors = new ArrayList<>();
            for (PruneService.MirrorPrune m : outcome.mirrors()) {
                Map<String, Object> mirror = new LinkedHashMap<>();
                mirror.put("mirror", m.mirror());
                mirror.put("container", m.container());
                mirror.put("state", m.state());
                mirror.put("volumeBytesBefore", m.volumeBefore());
                mirror.put(outcome.runId() == null ? "estimatedBytesAfter" : "volumeBytesAfter", m.volumeAfter());
                mirror.put("bytes", m.choice() == null ? 0 : m.choice().bytes());
                mirror.put("blobsDeleted", m.blobsDeleted());
                mirror.put("images", m.choice() == null ? List.of() : m.choice().removals().stream().map(r -> {
                    Map<String, Object> image = new LinkedHashMap<>();
                    image.put("image", r.image().name());
                    image.put("repository", r.image().repository());
                    image.put("tags", r.image().tags());
                    image.put("digest", r.image().digest());
                    image.put("bytes", r.bytes());
                    image.put("lastPulled", r.image().lastPulled());
                    image.put("reason", r.reason());
                    return image;
                }).toList());
                mirror.put("error", m.error());
                mirrors.add(mirror);
            }
            json.put("mirrors", mirrors);
            output.printJson(json);
            return;
        }
        boolean dry = outcome.runId() == null;
        for (PruneService.MirrorPrune m : outcome.mirrors()) {
            if (m.choice() != null) {
                for (PruneChoice.Removal r : m.choice().removals()) {
                    output.out().printf("%s %s %s %s, last pulled %s (%s)%n", dry ? "would prune" : "pruned",
                            r.image().name(), r.image().digest(), ByteSize.human(r.bytes()),
                            r.image().lastPulled() == null ? "never seen" : r.image().lastPulled(), r.reason());
                }
            }
            String sizes = m.volumeBefore() == null ? "no volume"
                    : dry ? "volume " + ByteSize.human(m.volumeBefore()) + ", about " + ByteSize.human(m.volumeAfter())
                    + " after"
                    : "volume " + ByteSize.human(m.volumeBefore()) + " -> "
                    + (m.volumeAfter() == null ? "?" : ByteSize.human(m.volumeAfter()))
                    + ", " + m.blobsDeleted() + " blobs deleted";
            int count = m.choice() == null ? 0 : m.choice().removals().size();
            output.out().printf("%s (%s): %d images %s, %s%s%n", m.mirror(), m.container(), count,
                    dry ? "to prune" : "pruned", sizes, m.error() == null ? "" : "; " + m.error());
        }
        if (dry) {
            output.out().println("lo registry prune: dry run, nothing changed");
        }
        output.out().flush();
    }

}
