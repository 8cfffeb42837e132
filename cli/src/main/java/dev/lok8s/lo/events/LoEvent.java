package dev.lok8s.lo.events;

/**
 * Everything {@code lo} records, as past-tense facts. Fold with a pattern-matching
 * {@code switch} and no {@code default}, so adding a type here breaks every fold that forgets it.
 * The JSON of each record is its payload in the store; {@link EventCodec} names and versions it.
 */
public sealed interface LoEvent permits
        RunStarted, RunResumed, RunCompleted, RunFailed, RunRejected, StepCompleted, LeaseTakenOver,
        NetworkCreated, NetworkAdopted, NetworkRemoved,
        RegistryStarted, MirrorStarted, RegistryStopped, RegistryRemoved,
        CertIssued, CertsDirWritten,
        ClusterCreated, ClusterDeleted, NodeConnected, NodeDisconnected,
        SubnetMismatchDetected, ImageWarmed, ClusterRegistriesPublished,
        MirrorLogRead, ImagePruned, CachePruned, UnrecognizedEvent {

    /** The cluster domain the event belongs to ({@code lok8s.dev}); null when it has none. Denormalised into the store for {@code lo history --domain}. */
    String domain();
}
