package dev.lok8s.lo.projection;

/** A run's status as shown; {@code interrupted} is derived: recorded running, but its process is gone. */
public enum RunStatus { running, completed, failed, rejected, interrupted }
