package dev.lok8s.lo.projection;

import dev.lok8s.lo.events.EventMetadata;

/** Whether the process that recorded a run is still alive. Only answerable for this host. */
@FunctionalInterface
public interface ProcessLiveness {

    /**
     * @param host the run's host name, when the caller cannot tell by machine id whether the run is this
     *             machine's; null when it is known to be (so the pid is checked here)
     * @return false only when the run's process is known to be gone
     */
    boolean mayBeAlive(String host, long pid);

    ProcessLiveness LOCAL = (host, pid) -> (host != null && !host.equals(EventMetadata.hostName()))
            || ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
}
