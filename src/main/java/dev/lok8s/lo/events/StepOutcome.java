package dev.lok8s.lo.events;

/** What an idempotent step did to reach its desired state. */
public enum StepOutcome { created, adopted, unchanged, replaced, skipped }
