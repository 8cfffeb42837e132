package dev.lok8s.lo.engine;

/**
 * A container's TCP port published on the host.
 *
 * @param hostIp        the host address it listens on ({@code 127.0.0.1}); empty or {@code 0.0.0.0} means every one
 * @param hostPort      the host's port
 * @param containerPort the container's port it forwards to
 */
public record PublishedPort(String hostIp, int hostPort, int containerPort) {

    public PublishedPort {
        hostIp = hostIp == null ? "" : hostIp;
    }
}
