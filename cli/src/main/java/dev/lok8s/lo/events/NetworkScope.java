package dev.lok8s.lo.events;

/** Whether a network or mirror serves every project (the shared registry network) or one project. */
public enum NetworkScope { shared, project }
