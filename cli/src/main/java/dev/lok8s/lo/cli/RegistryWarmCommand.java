package dev.lok8s.lo.cli;

import dev.lok8s.lo.failure.Reason;
import dev.lok8s.lo.events.ShortId;
import dev.lok8s.lo.cache.ByteSize;
import dev.lok8s.lo.cache.CacheWarmer;
import dev.lok8s.lo.cache.ImageName;
import dev.lok8s.lo.cache.WarmLimits;
import dev.lok8s.lo.cache.WarmTargets;
import dev.lok8s.lo.config.LoConfig;
import dev.lok8s.lo.config.ProjectLoader;
import dev.lok8s.lo.plan.RegistryPlan;
import dev.lok8s.lo.run.WarmService;
import dev.lok8s.lo.spec.ClusterSpec;
import dev.lok8s.lo.spec.SafeText;
import dev.lok8s.lo.spec.SpecInvalidException;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "warm", mixinStandardHelpOptions = true,
        description = {"Pull images through the mirrors that serve their registries, from the host over the registry "
                + "API (no docker pull, no cluster needed), so that nodes later get them from the cache.",
                "The first argument is the DOMAIN when it looks like one (a dot, no '/', ':' or '@'); "
                        + "otherwise every argument is an image and the domain is " + ClusterSpec.DEFAULT_DOMAIN + ".",
                "Images already in the mirror (as the log records, and the mirror confirms) are skipped. "
                        + "A failed image is named with the upstream's error; the others go on; the exit code is 1 "
                        + "if any failed.",
                "A warm is a run of the project: it holds the project's lease, so it waits for (--wait) or "
                        + "refuses while another run of the project is going on."})
public class RegistryWarmCommand implements Callable<Integer> {

    @Parameters(arity = "0..*", paramLabel = "[DOMAIN] IMAGE", description = "Images, e.g. nginx:1.27 or "
            + "quay.io/org/app@sha256:....")
    List<String> arguments = new ArrayList<>();

    @Option(names = {"-f", "--from-file"}, paramLabel = "FILE",
            description = "Read images from FILE, one per line (# comments), - for stdin; at most 64 KiB.")
    String fromFile;

    @Option(names = "--spec", paramLabel = "FILE", description = "Read the project's spec from FILE instead of "
            + "clusters/DOMAIN/cluster.lok8s.yaml.")
    Path spec;

    @Option(names = "--platform", paramLabel = "OS/ARCH",
            description = "Platform to take from multi-platform images (default: this machine's, ${DEFAULT-VALUE}).")
    String platform = CacheWarmer.hostPlatform();

    @Option(names = "--all-platforms", description = "Take every platform of multi-platform images.")
    boolean allPlatforms;

    @Option(names = "--wait", description = "Wait for another run of this project to finish instead of exiting.")
    boolean waitForLease;

    @Mixin
    OutputOptions output;

    @Inject
    LoConfig config;

    @Inject
    Instance<WarmService> warmService;

    @Override
    public Integer call() {
        List<String> images = new ArrayList<>(arguments);
        String domain = ClusterSpec.DEFAULT_DOMAIN;
        if (!images.isEmpty() && looksLikeDomain(images.getFirst())) {
            domain = images.removeFirst();
        }
        WarmService service = warmService.get();
        RegistryPlan plan;
        try {
            plan = ProjectLoader.load(Path.of("").toAbsolutePath(), domain, spec, config).plan();
        } catch (SpecInvalidException e) {
            service.reject(domain, null, Reason.of(e.getMessage()), output.commandLine());
            throw e;
        }
        List<WarmTargets.Target> targets;
        try {
            if (fromFile != null) {
                images.addAll(WarmTargets.readList(readFile(fromFile), fromFile));
            }
            if (platform != null && !platform.matches("[a-z0-9]+/[a-z0-9_]+(/[a-z0-9]+)?")) {
                throw new IllegalArgumentException("--platform '" + platform + "' is not os/arch[/variant], "
                        + "e.g. linux/amd64");
            }
            targets = WarmTargets.resolve(plan, images);
        } catch (IllegalArgumentException e) {
            service.reject(plan.domain(), plan.project(), Reason.of(e.getMessage()), output.commandLine());
            throw e;
        }
        WarmLimits limits;
        try {
            LoConfig.Warm warm = config.warm();
            limits = new WarmLimits(warm.parallelImages(), warm.parallelBlobs(), warm.responseTimeout(),
                    warm.bodyTimeout(), warm.minRate(), warm.timeout());
        } catch (IllegalArgumentException e) {
            service.reject(plan.domain(), plan.project(), Reason.of(e.getMessage()), output.commandLine());
            throw e;
        }
        Progress progress = new Progress(output.err(), StepProgress.onTerminal() && !output.json());
        WarmService.Outcome outcome = service.warm(plan, targets, allPlatforms ? null : platform, limits,
                waitForLease, output.commandLine(), progress, new StepProgress(output.err(), false));
        progress.done();
        print(outcome);
        return outcome.completed() ? ExitCodes.OK : ExitCodes.FAILED;
    }

    /** A domain has a dot and none of the characters that make an image reference one. */
    static boolean looksLikeDomain(String argument) {
        return argument.contains(".") && !argument.contains("/") && !argument.contains(":")
                && !argument.contains("@");
    }

    static String readFile(String file) {
        try (InputStream in = file.equals("-") ? System.in : Files.newInputStream(Path.of(file))) {
            byte[] bytes = in.readNBytes(WarmTargets.MAX_FILE_BYTES + 1);
            if (bytes.length > WarmTargets.MAX_FILE_BYTES) {
                throw new IllegalArgumentException("image list " + SafeText.shown(file) + " is larger than "
                        + WarmTargets.MAX_FILE_BYTES / 1024 + " KiB: split it");
            }
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read image list " + SafeText.shown(file) + ": "
                    + SafeText.shown(String.valueOf(e.getMessage())));
        }
    }

    private void print(WarmService.Outcome outcome) {
        String run = ShortId.of(outcome.runId());
        if (output.json()) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("runId", outcome.runId());
            json.put("command", WarmService.COMMAND);
            json.put("status", outcome.completed() ? "completed" : "failed");
            json.put("images", outcome.warmed().stream().map(w -> {
                Map<String, Object> image = new LinkedHashMap<>();
                image.put("image", w.image().toString());
                image.put("mirror", w.mirror());
                image.put("digest", w.digest());
                image.put("bytes", w.bytes());
                image.put("blobs", w.blobs());
                image.put("manifests", w.manifests());
                image.put("cached", w.cached());
                image.put("millis", w.millis());
                return image;
            }).toList());
            json.put("failures", outcome.failures());
            json.put("millis", outcome.millis());
            output.printJson(json);
        } else {
            for (CacheWarmer.Warmed w : outcome.warmed()) {
                output.out().printf("%s %s %s %s, %d blobs via %s%n", w.cached() ? "cached" : "warmed", w.image(),
                        w.digest(), ByteSize.human(w.bytes()), w.blobs(), w.mirror());
            }
            output.out().printf("lo registry warm: run %s: %d warmed, %d already cached, %d failed in %s%n", run,
                    outcome.warmed().stream().filter(w -> !w.cached()).count(),
                    outcome.warmed().stream().filter(CacheWarmer.Warmed::cached).count(),
                    outcome.failures().size(), StepProgress.seconds(outcome.millis()));
            output.out().flush();
        }
        for (WarmService.Failure failure : outcome.failures()) {
            output.err().println(Reason.errorLine(failure.image() + ": " + failure.error()));
        }
        output.err().flush();
    }

    /**
     * On a terminal, one updating line for the images being warmed (they go side by side) and a line
     * for each that ends; otherwise a line per resolved image.
     */
    static final class Progress implements CacheWarmer.Listener {
        private final PrintWriter err;
        private final boolean terminal;
        /** Images being read: blobs done, blobs, bytes done, bytes. */
        private final Map<ImageName, long[]> active = new LinkedHashMap<>();
        private long lastDraw;
        private boolean lineOpen;

        Progress(PrintWriter err, boolean terminal) {
            this.err = err;
            this.terminal = terminal;
        }

        @Override
        public synchronized void resolved(ImageName image, String digest, int blobs, long bytes) {
            if (!terminal) {
                err.printf("%s: %s, %d blobs, %s%n", image, digest, blobs, ByteSize.human(bytes));
                err.flush();
            }
        }

        @Override
        public synchronized void progress(ImageName image, int doneBlobs, int blobs, long doneBytes, long bytes) {
            if (!terminal) {
                return;
            }
            boolean finished = doneBlobs == blobs;
            long now = System.nanoTime();
            if (finished) {
                active.remove(image);
                clear();
                err.printf("%s  %d/%d layers  %s%n", image, doneBlobs, blobs, ByteSize.human(bytes));
            } else {
                active.put(image, new long[]{doneBlobs, blobs, doneBytes, bytes});
                if (now - lastDraw < 100_000_000L) {
                    return;
                }
            }
            lastDraw = now;
            draw();
            err.flush();
        }

        private void clear() {
            if (lineOpen) {
                err.print("\r\033[2K");
                lineOpen = false;
            }
        }

        private void draw() {
            clear();
            if (active.isEmpty()) {
                return;
            }
            long doneBlobs = 0, blobs = 0, doneBytes = 0, bytes = 0;
            for (long[] a : active.values()) {
                doneBlobs += a[0];
                blobs += a[1];
                doneBytes += a[2];
                bytes += a[3];
            }
            String what = active.size() == 1 ? active.keySet().iterator().next().toString()
                    : active.size() + " images";
            err.printf("%s  %d/%d layers  %s / %s", what, doneBlobs, blobs, ByteSize.human(doneBytes),
                    ByteSize.human(bytes));
            lineOpen = true;
        }

        synchronized void done() {
            if (lineOpen) {
                err.println();
                lineOpen = false;
            }
            err.flush();
        }
    }
}
