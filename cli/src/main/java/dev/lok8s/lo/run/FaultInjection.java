package dev.lok8s.lo.run;

/**
 * Test-only crash points for the crash matrix: with {@code LO_TEST_CRASH=<step-id>@<point>} in
 * the environment, the process halts (like SIGKILL: no shutdown hooks, no flush) when it
 * reaches that point of that step. Points: {@code before-effect}, {@code after-effect} (the
 * effect is done and its domain events are stored, StepCompleted is not).
 */
public final class FaultInjection {

    private static final String SETTING = System.getenv("LO_TEST_CRASH");

    private FaultInjection() {
    }

    public static void maybeCrash(String stepId, String point) {
        if (SETTING != null && SETTING.equals(stepId + "@" + point)) {
            Runtime.getRuntime().halt(137);
        }
    }
}
