package dev.lok8s.lo.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Test-only crash points for the crash matrix: with {@code LO_TEST_CRASH=<step-id>@<point>} in
 * the environment, the process halts (like SIGKILL: no shutdown hooks, no flush) when it
 * reaches that point of that step. Points: {@code before-effect}, {@code after-effect} (the
 * effect is done and its domain events are stored, StepCompleted is not).
 * <p>
 * With {@code LO_TEST_PAUSE=<point>@<file>} the process, on reaching that point, creates
 * {@code <file>.reached} and waits (at most a minute) until {@code <file>} exists, so a test can let
 * another process act in between. Points: {@code known-state-read} (the run has read the streams it
 * decides on).
 */
public final class FaultInjection {

    private static final String SETTING = System.getenv("LO_TEST_CRASH");
    private static final String PAUSE = System.getenv("LO_TEST_PAUSE");

    private FaultInjection() {
    }

    public static void maybeCrash(String stepId, String point) {
        if (SETTING != null && SETTING.equals(stepId + "@" + point)) {
            Runtime.getRuntime().halt(137);
        }
    }

    public static void maybePause(String point) {
        if (PAUSE == null || !PAUSE.startsWith(point + "@")) {
            return;
        }
        Path release = Path.of(PAUSE.substring(point.length() + 1));
        try {
            Files.writeString(release.resolveSibling(release.getFileName() + ".reached"), point);
            long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
            while (!Files.exists(release) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("test pause at " + point + ": " + e, e);
        }
    }
}
