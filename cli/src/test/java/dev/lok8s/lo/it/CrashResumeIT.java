package dev.lok8s.lo.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a user sees of runs that did not finish: a provision killed with SIGKILL is
 * {@code interrupted} in {@code lo runs}; {@code lo resume ID} continues it; a failed step shows
 * its error and what to do in {@code lo runs show}; {@code --fresh} starts a new run; a changed
 * spec says so and starts a new run; {@code lo resume} of a run whose plan is not the current one
 * is refused.
 */
class CrashResumeIT {

    static final String ID = "crr";
    static final String DOMAIN = "crr.lok8s.test";

    @RegisterExtension
    static final DockerCleanup DOCKER = DockerCleanup.forTest(ID);

    @TempDir
    static Path root;

    LoCli lo() {
        return LoCli.forTest(ID, root.resolve("state")).env("LO_PARALLELISM", "1").env("LO_MIRROR_WAIT", "1s");
    }

    /** A kind whose cluster creation fails: a step failure that is not lo's fault and not a refusal. */
    static Path failingKind() throws IOException {
        Path script = root.resolve("failing-kind");
        Files.writeString(script, """
                #!/usr/bin/env bash
                if [[ "$1 $2" == "create cluster" ]]; then echo "ERROR: node image unavailable (test)" >&2; exit 1; fi
                exec %s "$@"
                """.formatted(LoCli.repoRoot().resolve("src/test/kind/kind")));
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return script;
    }

    static Path spec(int workers) {
        Path spec = CrashFixture.writeSpec(root.resolve("project"), "crr", DOMAIN, "lotest-crr", "10.213.155.0/24", null,
                null, "http://10.213.155.99:5000");
        try {
            Files.writeString(spec, Files.readString(spec).replace("workers: 0", "workers: " + workers));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return spec;
    }

    @Test
    void interruptedFailedFreshChangedSpecAndExplicitResume() throws Exception {
        Path dir = root.resolve("project");
        Path spec = spec(0);
        String f = spec.toString();

        // A real SIGKILL while a step is in flight: after build is recorded, while cache is being created.
        Process killed = lo().start(dir, "provision", "-f", f);
        var watch = new CrashFixture.StderrWatch(killed);
        watch.await(l -> l.contains("ok registry:lotest-crr-registry-build"), 180);
        killed.destroyForcibly();
        assertThat(killed.waitFor(30, TimeUnit.SECONDS)).as("killed lo is gone").isTrue();
        UUID a = runIds().getFirst();
        String aId = a.toString().substring(0, 8);

        LoCli.Result runs = lo().run(dir, "runs", DOMAIN);
        assertThat(runs.exitCode()).as(runs.toString()).isZero();
        assertThat(runs.stdout()).as("lo runs").containsPattern(aId + ".*interrupted");
        LoCli.Result show = lo().run(dir, "runs", "show", aId);
        assertThat(show.stdout()).as("lo runs show of the killed run:\n%s", show)
                .containsPattern("status +interrupted").contains("registry:lotest-crr-registry-build")
                .containsPattern("next .*pid " + killed.pid() + ".* is gone: lo provision " + DOMAIN + " \\(or lo resume " + aId);

        // lo resume ID, with a kind that fails: the run resumes, then fails at the cluster step.
        LoCli.Result failed = lo().env("LO_KIND_PATH", failingKind().toString()).run(dir, "resume", aId, "-f", f);
        assertThat(failed.exitCode()).as("resume that fails at the cluster step:\n%s", failed).isEqualTo(1);
        assertThat(failed.stderr()).contains("resuming run " + aId).contains("node image unavailable (test)")
                .contains("run " + aId + " failed at cluster:crr");
        List<String> order = List.of("check-subnets", "network:lotest-crr", "image:lok8s.local/registry:2.8.2",
                "registry:lotest-crr-registry-build", "registry:lotest-crr-registry-cache",
                "registry:lotest-crr-registry-up", "certs-dir");
        List<String> segments = stepsOf(a);
        assertThat(segments).as("run A: started, then resumed").hasSize(2);
        List<String> before = List.of(segments.get(0).split(","));
        assertThat(before.size()).as("steps completed before the kill: %s", before).isBetween(4, 5);
        assertThat(before).as("completed before the kill, in plan order").isEqualTo(order.subList(0, before.size()));
        assertThat(segments.get(1)).as("the resume ran only the steps not completed before (cluster failed)")
                .isEqualTo(String.join(",", order.subList(before.size(), order.size())));
        show = lo().run(dir, "runs", "show", aId);
        assertThat(show.stdout()).as("lo runs show of the failed run:\n%s", show)
                .containsPattern("status +failed at step cluster:crr")
                .containsPattern("error +.*node image unavailable \\(test\\)")
                .containsPattern("cluster:crr +failed")
                .containsPattern("next +fix the cause of the error above, then lo provision " + DOMAIN + " \\(or lo resume " + aId);

        // --fresh: a new run, not the failed one.
        LoCli.Result fresh = lo().env("LO_KIND_PATH", failingKind().toString()).run(dir, "provision", "--fresh", "-f", f);
        assertThat(fresh.exitCode()).as(fresh.toString()).isEqualTo(1);
        assertThat(fresh.stderr()).contains("--fresh: not resuming run " + aId).doesNotContain("resuming run " + aId + ":");
        UUID b = runIds().getFirst();
        assertThat(b).as("--fresh started a new run").isNotEqualTo(a);
        String bId = b.toString().substring(0, 8);
        assertThat(stepsOf(b).getFirst()).as("a fresh run runs every step (they find Docker as it is)")
                .startsWith("check-subnets,network:lotest-crr,");

        // The spec changes: the failed run is not resumed, a new run converges.
        Path changed = spec(1);
        LoCli.Result converged = lo().run(dir, "provision", "-f", changed.toString());
        assertThat(converged.exitCode()).as(converged.toString()).isZero();
        assertThat(converged.stderr()).contains("plan changed since run " + bId + " (failed): starting a new run");
        UUID c = runIds().getFirst();
        assertThat(c).isNotIn(a, b);
        assertThat(TestDocker.containers("dev.lok8s.test.id=" + ID)).as("nodes of the changed spec")
                .containsExactlyInAnyOrder("crr-control-plane", "crr-worker");

        // lo resume of a run whose plan is no longer the spec's: refused, nothing appended to it.
        int stored = CrashFixture.events(root.resolve("state")).size();
        LoCli.Result refused = lo().run(dir, "resume", bId, "-f", changed.toString());
        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(2);
        assertThat(refused.stderr()).contains("the spec of " + DOMAIN + " changed since run " + bId);
        LoCli.Result completedRun = lo().run(dir, "resume", "-f", changed.toString());
        assertThat(completedRun.exitCode()).as(completedRun.toString()).isEqualTo(2);
        assertThat(completedRun.stderr()).contains("no run to resume: the newest run " + c.toString().substring(0, 8))
                .contains("is completed");
        assertThat(CrashFixture.events(root.resolve("state"))).as("refusals append nothing").hasSize(stored);

        Set<String> runStatuses = CrashFixture.query(root.resolve("state"), "SELECT status FROM runs").stream()
                .map(row -> (String) row.getFirst()).collect(Collectors.toSet());
        assertThat(runStatuses).as("every run ended").containsOnly("completed", "failed");
    }

    /** Run ids, newest RunStarted first. */
    static List<UUID> runIds() {
        return runIdsIn(root.resolve("state"));
    }

    /** Run ids in the store of {@code stateDir}, newest RunStarted first. */
    static List<UUID> runIdsIn(Path stateDir) {
        return CrashFixture.events(stateDir).reversed().stream()
                .filter(e -> e.type().equals("RunStarted")).map(CrashFixture.Event::runId).toList();
    }

    /** A run's StepCompleted step ids, one comma-joined entry per RunStarted/RunResumed segment. */
    static List<String> stepsOf(UUID run) {
        return stepsOf(root.resolve("state"), run);
    }

    /** As {@link #stepsOf(UUID)}, in the store of {@code stateDir}. */
    static List<String> stepsOf(Path stateDir, UUID run) {
        List<StringBuilder> segments = new java.util.ArrayList<>();
        for (CrashFixture.Event e : CrashFixture.events(stateDir)) {
            if (!e.stream().equals("run-" + run)) {
                continue;
            }
            if (e.type().equals("RunStarted") || e.type().equals("RunResumed")) {
                segments.add(new StringBuilder());
            } else if (e.type().equals("StepCompleted")) {
                StringBuilder s = segments.getLast();
                s.append(s.isEmpty() ? "" : ",").append(e.text("stepId"));
            }
        }
        return segments.stream().map(StringBuilder::toString).toList();
    }
}
