package dev.lok8s.lo.spec;

/** {@code spec.nodes}: how many kind nodes of each role. Defaults: one control plane, no workers. */
public record NodesSpec(int controlPlane, int workers) {
    public static final NodesSpec DEFAULT = new NodesSpec(1, 0);
}
