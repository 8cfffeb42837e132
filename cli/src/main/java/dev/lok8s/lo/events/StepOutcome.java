package dev.lok8s.lo.events;

/**
 * What an idempotent step did to reach its desired state. Teardown steps report
 * {@code stopped} or {@code removed}, or {@code unchanged} when the target was already so.
 */
public enum StepOutcome { created, adopted, unchanged, replaced, skipped, stopped, removed }
