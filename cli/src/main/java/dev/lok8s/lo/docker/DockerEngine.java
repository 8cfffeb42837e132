package dev.lok8s.lo.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.ConnectToNetworkCmd;
import com.github.dockerjava.api.command.CreateContainerResponse;
import com.github.dockerjava.api.command.CreateNetworkResponse;
import com.github.dockerjava.api.command.LogContainerCmd;
import com.github.dockerjava.api.command.WaitContainerResultCallback;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.DockerClientException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.ContainerNetwork;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.PullResponseItem;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import com.github.dockerjava.transport.DockerHttpClient;
import com.github.dockerjava.transport.SSLConfig;
import dev.lok8s.lo.engine.ContainerDefinition;
import dev.lok8s.lo.engine.ContainerEngine;
import dev.lok8s.lo.engine.ContainerInfo;
import dev.lok8s.lo.engine.EngineException;
import dev.lok8s.lo.engine.EngineUnavailableException;
import dev.lok8s.lo.engine.ImageUnavailableException;
import dev.lok8s.lo.engine.NetworkDefinition;
import dev.lok8s.lo.engine.NetworkInfo;
import dev.lok8s.lo.engine.ResourceConflictException;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import javax.net.ssl.SSLContext;

/**
 * The {@link ContainerEngine} port on a Docker Engine, through docker-java. The only class
 * that talks to the engine; everything it returns or throws is in the port's terms.
 */
public class DockerEngine implements ContainerEngine, AutoCloseable {

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);
    static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(60);
    static final Duration LOGS_TIMEOUT = Duration.ofSeconds(15);
    static final Duration PULL_TIMEOUT = Duration.ofMinutes(15);
    /** Most bytes of a container's output read at once: its lines come from whoever talks to it. */
    static final int MAX_LOG_BYTES = 16 * 1024 * 1024;

    /**
     * Without an SSL config the transport builds the JDK's default TLS context (the whole trust
     * store) and httpclient5's public-suffix list, ~45 ms of CPU per process, for a connection that
     * never speaks TLS. A context that is never initialised: nothing can use it over a unix socket.
     */
    private static final SSLConfig NO_TLS_ON_A_UNIX_SOCKET = () -> {
        try {
            return SSLContext.getInstance("TLS");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    };

    /** docker-java's whole configuration, read once, by the first change (the command layer needs it). */
    private final Supplier<DockerClientConfig> config;
    private final URI host;
    private final SSLConfig ssl;
    private final String endpoint;
    /** The reads over a unix socket, without an HTTP client library; null for other hosts. */
    private final UnixSocketGet unixReads;
    /** docker-java's transport, made on the first change (or the first read of a host that is not a unix socket). */
    private volatile DockerHttpClient http;
    /** docker-java's command layer, made on the first change. */
    private volatile DockerClient client;

    /**
     * The engine the docker CLI would use: {@code DOCKER_HOST}, else {@code unix:///var/run/docker.sock}.
     * When only that can decide the host ({@link PlainDockerHost}), docker-java's configuration loader
     * runs on the first change only: a command that only reads the engine never pays for it.
     */
    public static DockerEngine fromEnvironment() {
        Supplier<DockerClientConfig> loaded = () -> DefaultDockerClientConfig.createDefaultConfigBuilder().build();
        return PlainDockerHost.ofThisProcess()
                .map(host -> new DockerEngine(host, null, loaded))
                .orElseGet(() -> new DockerEngine(loaded.get()));
    }

    /** The engine at {@code dockerHost}, e.g. {@code unix:///var/run/docker.sock} or {@code tcp://host:2375}. */
    public static DockerEngine at(String dockerHost) {
        return new DockerEngine(DefaultDockerClientConfig.createDefaultConfigBuilder().withDockerHost(dockerHost).build());
    }

    public DockerEngine(DockerClientConfig config) {
        this(config.getDockerHost(), config.getSSLConfig(), () -> config);
    }

    private DockerEngine(URI host, SSLConfig ssl,
                         Supplier<DockerClientConfig> config) {
        this.host = host;
        this.ssl = ssl;
        this.config = config;
        this.endpoint = host.toString();
        this.unixReads = "unix".equals(host.getScheme()) && host.getPath() != null && !host.getPath().isEmpty()
                ? new UnixSocketGet(Path.of(host.getPath()), RESPONSE_TIMEOUT) : null;
    }

    private DockerHttpClient http() {
        var made = http;
        if (made == null) {
            synchronized (this) {
                made = http;
                if (made == null) {
                    // no API version is pinned: the engine's own is used, whatever its age
                    made = new ApacheDockerHttpClient.Builder()
                            .dockerHost(host)
                            .sslConfig(ssl == null && unixReads != null ? NO_TLS_ON_A_UNIX_SOCKET : ssl)
                            .connectionTimeout(CONNECT_TIMEOUT)
                            .responseTimeout(RESPONSE_TIMEOUT)
                            .maxConnections(20)
                            .build();
                    http = made;
                }
            }
        }
        return made;
    }

    private DockerClient client() {
        DockerClient made = client;
        if (made == null) {
            synchronized (this) {
                made = client;
                if (made == null) {
                    made = DockerClientImpl.getInstance(config.get(), http());
                    client = made;
                }
            }
        }
        return made;
    }

    @Override
    public void close() {
        try {
            DockerClient made = client;
            if (made != null) {
                made.close();  // closes the transport too
            } else if (http != null) {
                http.close();
            }
        } catch (IOException e) {
            // nothing is left to release
        }
    }

    /** {@code GET path}: the status and up to {@code maxBytes} of the body. */
    private UnixSocketGet.Answer read(String path, int maxBytes) throws IOException {
        if (unixReads != null) {
            return unixReads.get(path, maxBytes);
        }
        var request = DockerHttpClient.Request.builder()
                .method(DockerHttpClient.Request.Method.GET)
                .path(path).build();
        try (var response = http().execute(request); var body = response.getBody()) {
            return new UnixSocketGet.Answer(response.getStatusCode(), body.readNBytes(maxBytes));
        }
    }

    /**
     * {@code GET path}, the answer as a JSON tree; empty on 404.
     * Any other status is the engine refusing, in the port's terms.
     */
    private Optional<JsonNode> get(String path) {
        try {
            UnixSocketGet.Answer answer = read(path, EngineQuery.MAX_ANSWER_BYTES + 1);
            byte[] bytes = answer.body();
            int status = answer.status();
            if (status == 404) {
                return Optional.empty();
            }
            if (status / 100 != 2) {
                throw new EngineException("the Docker Engine at %s refused: %s (HTTP %d on GET %s)".formatted(endpoint,
                        EngineQuery.errorMessage(bytes), status, path.replaceFirst("\\?.*", "")), null);
            }
            if (bytes.length > EngineQuery.MAX_ANSWER_BYTES) {
                throw new EngineException("the Docker Engine's answer to GET %s is larger than %d MiB: not read"
                        .formatted(path.replaceFirst("\\?.*", ""), EngineQuery.MAX_ANSWER_BYTES >> 20), null);
            }
            return Optional.of(EngineQuery.tree(bytes));
        } catch (IOException e) {
            throw new UncheckedIOException(e);  // no whole answer: the engine is unreachable (call())
        }
    }

    @Override
    public String endpoint() {
        return endpoint;
    }

    @Override
    public void ping() {
        run(() -> client().pingCmd().exec());
    }

    // networks

    @Override
    public Optional<NetworkInfo> findNetwork(String name) {
        return call(() -> {
            // the engine's name filter matches substrings: keep only the exact name
            JsonNode listed = get(EngineQuery.withFilters("/networks", Map.of("name", List.of(name)))).orElseThrow();
            for (JsonNode candidate : listed) {
                if (name.equals(EngineQuery.text(candidate, "Name"))) {
                    // empty when removed meanwhile
                    return inspectNetwork(EngineQuery.text(candidate, "Id"));
                }
            }
            return Optional.empty();
        });
    }

    private Optional<NetworkInfo> inspectNetwork(String id) {
        return get("/networks/" + EngineQuery.segment(id, false)).map(NetworkMapping::toInfo);
    }

    @Override
    public List<NetworkInfo> listNetworks() {
        return call(() -> {
            List<NetworkInfo> out = new ArrayList<>();
            get("/networks").orElseThrow().forEach(n -> out.add(NetworkMapping.toInfo(n)));
            return List.copyOf(out);
        });
    }

    @Override
    public NetworkInfo createNetwork(NetworkDefinition definition) {
        return call(() -> {
            CreateNetworkResponse created;
            try {
                created = NetworkMapping.applyTo(definition, client().createNetworkCmd()).exec();
            } catch (ConflictException e) {
                throw new ResourceConflictException("network '%s' already exists: %s"
                        .formatted(definition.name(), EngineErrors.message(e)), e);
            } catch (DockerException e) {
                if (EngineErrors.mentions(e, "overlaps")) {
                    throw new ResourceConflictException(
                            "subnet %s for network '%s' overlaps the subnet of another Docker network: choose another subnet or remove that network (%s)"
                                    .formatted(definition.subnet(), definition.name(), EngineErrors.message(e)), e);
                }
                throw e;
            }
            return inspectNetwork(created.getId()).orElseThrow(() -> new EngineException(
                    "network '%s' was created but is gone again".formatted(definition.name()), null));
        });
    }

    @Override
    public void removeNetwork(String name) {
        run(() -> {
            Optional<NetworkInfo> network = findNetwork(name);
            if (network.isEmpty()) {
                return;
            }
            try {
                client().removeNetworkCmd(network.get().id()).exec();
            } catch (NotFoundException e) {
                // gone already
            } catch (DockerException e) {
                if (EngineErrors.mentions(e, "active endpoints")) {
                    throw new ResourceConflictException("network '%s' still has containers attached: %s"
                            .formatted(name, EngineErrors.message(e)), e);
                }
                throw e;
            }
        });
    }

    @Override
    public void connect(String network, String container, String ipv4) {
        run(() -> {
            ContainerInfo info = findContainer(container).orElseThrow(() -> new EngineException(
                    "cannot connect container '%s' to network '%s': no such container".formatted(container, network)));
            if (info.networks().containsKey(network)) {
                return;
            }
            ConnectToNetworkCmd cmd = client().connectToNetworkCmd().withNetworkId(network).withContainerId(info.id());
            if (ipv4 != null) {
                // withIpv4Address on ContainerNetwork is read-back only; the request field is IPAMConfig
                cmd.withContainerNetwork(new ContainerNetwork().withIpamConfig(new ContainerNetwork.Ipam().withIpv4Address(ipv4)));
            }
            try {
                cmd.exec();
            } catch (DockerException e) {
                if (EngineErrors.mentions(e, "already exists in network")) {
                    return; // connected meanwhile
                }
                if (EngineErrors.mentions(e, "address already in use")) {
                    throw new ResourceConflictException("address %s on network '%s' is already in use: cannot connect container '%s'"
                            .formatted(ipv4, network, container), e);
                }
                if (e instanceof NotFoundException) {
                    throw new EngineException("cannot connect container '%s' to network '%s': %s"
                            .formatted(container, network, EngineErrors.message(e)), e);
                }
                throw e;
            }
        });
    }

    @Override
    public void disconnect(String network, String container, boolean force) {
        run(() -> {
            try {
                client().disconnectFromNetworkCmd().withNetworkId(network).withContainerId(container).withForce(force).exec();
            } catch (NotFoundException e) {
                // network or container gone: not attached
            } catch (DockerException e) {
                if (!EngineErrors.mentions(e, "is not connected")) {
                    throw e;
                }
            }
        });
    }

    // containers

    @Override
    public Optional<ContainerInfo> findContainer(String name) {
        // the engine also resolves ID prefixes; only the exact name counts
        return call(() -> inspectContainer(name).filter(c -> name.equals(c.name())));
    }

    private Optional<ContainerInfo> inspectContainer(String nameOrId) {
        return get("/containers/" + EngineQuery.segment(nameOrId, false) + "/json").map(ContainerMapping::inspected);
    }

    @Override
    public List<ContainerInfo> listContainers(Map<String, String> labels) {
        return call(() -> {
            Map<String, List<String>> filters = labels.isEmpty() ? Map.of() : Map.of("label", ContainerMapping.labelFilter(labels));
            List<ContainerInfo> out = new ArrayList<>();
            get(EngineQuery.withFilters("/containers/json?all=1", filters)).orElseThrow()
                    .forEach(c -> out.add(ContainerMapping.listed(c)));
            return List.copyOf(out);
        });
    }

    @Override
    public ContainerInfo runContainer(ContainerDefinition definition) {
        return call(() -> {
            CreateContainerResponse created;
            try {
                created = ContainerMapping.applyTo(definition, client().createContainerCmd(definition.image())).exec();
            } catch (ConflictException e) {
                String holder = findContainer(definition.name()).map(c -> c.id().substring(0, Math.min(12, c.id().length())))
                        .orElse("another container");
                throw new ResourceConflictException("container name '%s' is already in use by %s: remove it or choose another name"
                        .formatted(definition.name(), holder), e);
            } catch (NotFoundException e) {
                if (EngineErrors.mentions(e, "no such image")) {
                    throw new ImageUnavailableException("image '%s' of container '%s' is not present: pull or build it first"
                            .formatted(definition.image(), definition.name()), e);
                }
                throw new EngineException("cannot create container '%s': %s".formatted(definition.name(), EngineErrors.message(e)), e);
            }
            String id = created.getId();
            String step = "copy files into";
            try {
                if (!definition.files().isEmpty()) {
                    client().copyArchiveToContainerCmd(id)
                            .withRemotePath("/")
                            .withTarInputStream(new ByteArrayInputStream(FileArchive.tar(definition.files())))
                            .exec();
                }
                step = "start";
                client().startContainerCmd(id).exec();
            } catch (RuntimeException e) {
                // no half-made container stays behind
                try {
                    client().removeContainerCmd(id).withForce(true).exec();
                } catch (RuntimeException cleanup) {
                    e.addSuppressed(cleanup);
                }
                if (e instanceof DockerException && EngineErrors.mentions(e, "address already in use")) {
                    throw new ResourceConflictException("address %s on network '%s' is already in use: cannot start container '%s'"
                            .formatted(definition.ipv4(), definition.network(), definition.name()), e);
                }
                if (e instanceof DockerException) {
                    throw new EngineException("cannot %s container '%s' (removed it again): %s"
                            .formatted(step, definition.name(), EngineErrors.message(e)), e);
                }
                throw e;
            }
            return inspectContainer(id).orElseThrow(() -> new EngineException(
                    "container '%s' was started but is gone again".formatted(definition.name()), null));
        });
    }

    @Override
    public void startContainer(String name) {
        run(() -> {
            try {
                client().startContainerCmd(name).exec();
            } catch (NotModifiedException e) {
                // running already
            } catch (NotFoundException e) {
                throw new EngineException("cannot start container '%s': no such container".formatted(name), e);
            }
        });
    }

    @Override
    public void stopContainer(String name) {
        run(() -> {
            try {
                client().stopContainerCmd(name).exec();
            } catch (NotModifiedException e) {
                // stopped already
            } catch (NotFoundException e) {
                throw new EngineException("cannot stop container '%s': no such container".formatted(name), e);
            }
        });
    }

    @Override
    public void removeContainer(String name) {
        run(() -> {
            try {
                client().removeContainerCmd(name).withForce(true).exec();
            } catch (NotFoundException e) {
                // gone already
            } catch (ConflictException e) {
                if (!EngineErrors.mentions(e, "already in progress")) {
                    throw e;
                }
            }
        });
    }

    @Override
    public int waitForExit(String name, Duration timeout) {
        return call(() -> {
            var callback = new WaitContainerResultCallback();
            try {
                client.waitContainerCmd(name).exec(callback);
                return callback.awaitStatusCode(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (NotFoundException e) {
                throw new EngineException("cannot wait for container '%s': no such container".formatted(name), e);
            } catch (DockerClientException e) {
                throw new EngineException("container '%s' was still running after %d s".formatted(name,
                        timeout.toSeconds()), e);
            } finally {
                try {
                    callback.close();
                } catch (IOException e) {
                    // nothing left to release
                }
            }
        });
    }

    @Override
    public String logs(String container, int lines) {
        return readLogs(container, cmd -> cmd.withTail(lines));
    }

    @Override
    public String timestampedLogs(String container, Instant since) {
        // the engine takes whole seconds: the caller drops lines up to its own, finer, point
        return readLogs(container, cmd -> cmd.withTimestamps(true)
                .withSince(since == null ? 0 : (int) Math.max(0, since.getEpochSecond())));
    }

    private String readLogs(String container,
                            UnaryOperator<LogContainerCmd> options) {
        return call(() -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ResultCallback.Adapter<Frame> callback = new ResultCallback.Adapter<>() {
                @Override
                public void onNext(Frame frame) {
                    boolean full;
                    synchronized (out) {
                        byte[] payload = frame.getPayload();
                        int room = MAX_LOG_BYTES - out.size();
                        out.write(payload, 0, Math.min(room, payload.length));
                        full = out.size() >= MAX_LOG_BYTES;
                    }
                    if (full) {
                        try {
                            close();
                        } catch (IOException e) {
                            // the stream is abandoned either way
                        }
                    }
                }
            };
            try {
                options.apply(client().logContainerCmd(container).withStdOut(true).withStdErr(true)).exec(callback);
                if (!await(callback, LOGS_TIMEOUT)) {
                    throw new EngineException("the logs of container '%s' did not arrive within %d s"
                            .formatted(container, LOGS_TIMEOUT.toSeconds()), null);
                }
            } catch (NotFoundException e) {
                throw new EngineException("cannot read the logs of container '%s': no such container".formatted(container), e);
            }
            synchronized (out) {
                return out.toString(StandardCharsets.UTF_8);
            }
        });
    }

    // images

    @Override
    public boolean imagePresent(String image) {
        return call(() -> get("/images/" + EngineQuery.segment(image, true) + "/json").isPresent());
    }

    @Override
    public void pullImage(String image, Consumer<String> progress) {
        run(() -> {
            ImageReference ref = ImageReference.parse(image);
            AtomicReference<String> streamError = new AtomicReference<>();
            ResultCallback.Adapter<PullResponseItem> callback = new ResultCallback.Adapter<>() {
                @Override
                public void onNext(PullResponseItem item) {
                    String error = PullProgress.error(item);
                    if (error != null) {
                        streamError.compareAndSet(null, error);
                        return;
                    }
                    String line = PullProgress.line(item);
                    if (line != null) {
                        progress.accept(line);
                    }
                }
            };
            try {
                client().pullImageCmd(ref.repository()).withTag(ref.tag()).exec(callback);
                if (!await(callback, PULL_TIMEOUT)) {
                    throw imageUnavailable(image, "no answer within %d minutes".formatted(PULL_TIMEOUT.toMinutes()), null);
                }
            } catch (DockerException | DockerClientException e) {
                throw imageUnavailable(image, EngineErrors.message(e), e);
            }
            if (streamError.get() != null) {
                throw imageUnavailable(image, streamError.get().strip(), null);
            }
        });
    }

    // volumes

    @Override
    public boolean volumeExists(String name) {
        return call(() -> get("/volumes/" + EngineQuery.segment(name, false)).isPresent());
    }

    @Override
    public void createVolume(String name, Map<String, String> labels) {
        // the engine answers an existing name with that volume: create is idempotent
        run(() -> client().createVolumeCmd().withName(name).withLabels(labels).exec());
    }

    @Override
    public void removeVolume(String name) {
        run(() -> {
            try {
                client().removeVolumeCmd(name).exec();
            } catch (NotFoundException e) {
                // gone already
            } catch (ConflictException e) {
                throw new ResourceConflictException("volume '%s' is still in use: %s".formatted(name, EngineErrors.message(e)), e);
            }
        });
    }

    @Override
    public List<String> listVolumes(Map<String, String> labels) {
        return call(() -> {
            Map<String, List<String>> filters = labels.isEmpty() ? Map.of() : Map.of("label", ContainerMapping.labelFilter(labels));
            List<String> names = new ArrayList<>();
            for (JsonNode volume : get(EngineQuery.withFilters("/volumes", filters)).orElseThrow().path("Volumes")) {
                String name = EngineQuery.text(volume, "Name");
                if (name != null) {
                    names.add(name);
                }
            }
            return names.stream().sorted().toList();
        });
    }

    @Override
    public Map<String, Long> volumeSizes() {
        // docker-java has no command for GET /system/df; the transport it runs on sends it as is
        return call(() -> {
            try {
                UnixSocketGet.Answer answer = read("/system/df", DiskUsage.MAX_REPORT_BYTES);
                byte[] bytes = answer.body();
                if (answer.status() != 200) {
                    throw new EngineException("the engine's disk-usage report failed: HTTP %d %s".formatted(
                            answer.status(), new String(bytes, 0, Math.min(bytes.length, 300),
                                    StandardCharsets.UTF_8)), null);
                }
                return DiskUsage.volumeSizes(bytes);
            } catch (IOException e) {
                throw new EngineException("cannot read the engine's disk-usage report: " + e.getMessage(), e);
            }
        });
    }

    // the one place where engine failures become the port's exceptions

    private <T> T call(Supplier<T> action) {
        try {
            return action.get();
        } catch (EngineException e) {
            throw e;
        } catch (RuntimeException e) {
            if (EngineErrors.isUnreachable(e)) {
                throw new EngineUnavailableException(
                        "cannot reach the Docker Engine at %s (%s): start it (e.g. dockerd) or point DOCKER_HOST at a running engine"
                                .formatted(endpoint, EngineErrors.rootCause(e)), e);
            }
            if (e instanceof DockerException || e instanceof DockerClientException) {
                throw new EngineException("the Docker Engine at %s refused: %s".formatted(endpoint, EngineErrors.message(e)), e);
            }
            throw e;
        }
    }

    private void run(Runnable action) {
        call(() -> {
            action.run();
            return null;
        });
    }

    /** Waits for an async call; closes it on timeout. Errors of the call are rethrown. */
    private static boolean await(ResultCallback.Adapter<?> callback, Duration timeout) {
        try {
            boolean done = callback.awaitCompletion(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!done) {
                callback.close();
            }
            return done;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineException("interrupted while waiting for the Docker Engine", e);
        } catch (IOException e) {
            return false;
        }
    }

    private static ImageUnavailableException imageUnavailable(String image, String cause, Throwable e) {
        return new ImageUnavailableException(
                "registry image '%s' is not present and cannot be pulled (%s); build or load it locally, or set LO_REGISTRY_IMAGE / spec.registries.image"
                        .formatted(image, cause), e);
    }
}
