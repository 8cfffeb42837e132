package dev.lok8s.lo.plan;

import com.fasterxml.jackson.annotation.JsonValue;

/** The kinds of step a provision runs; {@link #id()} is the JSON value and the step id's prefix. */
public enum StepKind {
    /** Existing networks with the planned names must have the planned subnets. */
    CHECK_SUBNETS("check-subnets"),
    /** Ensure a Docker network. */
    NETWORK("network"),
    /** Ensure the registry image is present locally. */
    IMAGE("image"),
    /** Mint (or keep) the registry certificate and copy the CA into certs.d. */
    TLS_CERT("tls-cert"),
    /** Ensure a registry's volume and container. */
    REGISTRY("registry"),
    /** Write the containerd certs.d tree (hosts.toml files). */
    CERTS_DIR("certs-dir"),
    /** Ensure the kind cluster. */
    CLUSTER("cluster"),
    /** Connect the kind nodes to the shared network. */
    CONNECT("connect"),
    /** Tell the cluster where its registries are: the KEP-1755 ConfigMap and lok8s-registries (kube/). */
    REGISTRY_DISCOVERY("registry-discovery"),
    /** Check every registry answers on its catalog URL. */
    VERIFY("verify"),
    // Teardown steps (TeardownPlan): each is idempotent, an already-absent target is "unchanged".
    /** Stop a registry container, keeping it and its volume. */
    STOP("stop"),
    /** Remove a registry container that lo created. */
    REMOVE_REGISTRY("remove-registry"),
    /** Remove a registry's data volume that lo created. */
    REMOVE_VOLUME("remove-volume"),
    /** Disconnect containers from a network before it is removed (refuses foreign ones unless forced). */
    DISCONNECT("disconnect"),
    /** Delete the kind cluster. */
    DELETE_CLUSTER("delete-cluster"),
    /** Remove a Docker network once nothing else is attached. */
    REMOVE_NETWORK("remove-network");

    private final String id;

    StepKind(String id) {
        this.id = id;
    }

    @JsonValue
    public String id() {
        return id;
    }
}
