package dev.lok8s.lo.engine;

import java.util.List;
import java.util.Map;

/**
 * A container to run, complete: the engine adapter maps it onto its API in one place.
 *
 * @param network  the network it is created on
 * @param ipv4     its fixed address on that network
 * @param volumes  named volume to mount point inside the container
 * @param files    files copied into the container before it starts: absolute path to content
 * @param command  arguments after the image's entrypoint; empty for the image's default
 * @param ports    TCP ports published on the host
 * @param restart  restarted by the engine unless stopped (a registry); false for a task that runs once
 */
public record ContainerDefinition(String name, String image, String network, String ipv4,
                                  Map<String, String> labels, Map<String, String> volumes,
                                  Map<String, byte[]> files, List<String> command, List<PublishedPort> ports,
                                  boolean restart) {

    /** Publishing nothing on the host, restarted unless stopped. */
    public ContainerDefinition(String name, String image, String network, String ipv4, Map<String, String> labels,
                               Map<String, String> volumes, Map<String, byte[]> files, List<String> command) {
        this(name, image, network, ipv4, labels, volumes, files, command, List.of(), true);
    }

    /** Restarted by the engine unless it is stopped. */
    public ContainerDefinition(String name, String image, String network, String ipv4, Map<String, String> labels,
                               Map<String, String> volumes, Map<String, byte[]> files, List<String> command,
                               List<PublishedPort> ports) {
        this(name, image, network, ipv4, labels, volumes, files, command, ports, true);
    }

    public ContainerDefinition {
        ports = List.copyOf(ports);
        labels = Map.copyOf(labels);
        volumes = Map.copyOf(volumes);
        files = Map.copyOf(files);
        command = List.copyOf(command);
    }
}
