package dev.lok8s.lo.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The port through which {@code lo} changes a machine: the few Docker Engine operations a
 * provision needs, in domain terms. The docker package holds the only implementation; no
 * Docker library type crosses this interface.
 *
 * <p>Ensure-style callers inspect first and act second; the methods themselves are plain
 * and fail with {@link EngineException} subclasses that name the resource.
 */
public interface ContainerEngine {

    /** Checks that the engine answers; throws {@link EngineUnavailableException} with the endpoint if not. */
    void ping();

    /** The engine endpoint in use, e.g. {@code unix:///var/run/docker.sock}. */
    String endpoint();

    // networks

    /** The network with exactly this name (Docker's own filter matches substrings). */
    Optional<NetworkInfo> findNetwork(String name);

    /**
     * Every network, in one call: name, subnet and labels. {@link NetworkInfo#containers()} is empty
     * (the engine's list does not say who is attached; a container list does).
     */
    List<NetworkInfo> listNetworks();

    NetworkInfo createNetwork(NetworkDefinition definition);

    /** Removes the network; a network that is already gone is not an error. */
    void removeNetwork(String name);

    /** Connects a container to a network, at a fixed address when {@code ipv4} is not null. */
    void connect(String network, String container, String ipv4);

    /** Disconnects; a container that is not attached is not an error. */
    void disconnect(String network, String container, boolean force);

    // containers

    Optional<ContainerInfo> findContainer(String name);

    /** Containers (running or not) carrying every given label; a null value matches any value. */
    List<ContainerInfo> listContainers(Map<String, String> labels);

    /** Creates the container, copies its files in, and starts it. */
    ContainerInfo runContainer(ContainerDefinition definition);

    /** Starts a stopped container; one already running is not an error. */
    void startContainer(String name);

    /** Stops a running container; one already stopped is not an error. */
    void stopContainer(String name);

    /**
     * Waits for a container to exit and returns its exit code; throws {@link EngineException} when it is
     * still running after {@code timeout}.
     */
    int waitForExit(String name, Duration timeout);

    /** Removes the container (forcibly); one already gone is not an error. */
    void removeContainer(String name);

    /** The last {@code lines} lines of the container's output, cut at an adapter-defined byte limit (16 MiB for Docker). */
    String logs(String container, int lines);

    /**
     * The container's output from {@code since} (whole seconds; all of it when null), each line after the
     * engine's RFC 3339 timestamp and a space, cut at the same byte limit as {@link #logs}.
     */
    String timestampedLogs(String container, Instant since);

    // images

    boolean imagePresent(String image);

    /** Pulls the image, reporting progress lines; throws {@link ImageUnavailableException} if it cannot be had. */
    void pullImage(String image, Consumer<String> progress);

    // volumes

    boolean volumeExists(String name);

    void createVolume(String name, Map<String, String> labels);

    /** Removes the volume; one already gone is not an error. */
    void removeVolume(String name);

    List<String> listVolumes(Map<String, String> labels);

    /**
     * Disk used by each local volume, in bytes, as the engine's disk-usage report gives it (it walks
     * the volumes, so it takes a moment); a volume whose size the engine did not compute is absent.
     */
    Map<String, Long> volumeSizes();
}
