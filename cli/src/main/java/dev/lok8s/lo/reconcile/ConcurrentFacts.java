package dev.lok8s.lo.reconcile;

import dev.lok8s.lo.events.ClusterCreated;
import dev.lok8s.lo.events.ClusterDeleted;
import dev.lok8s.lo.events.EventSummary;
import dev.lok8s.lo.events.LoEvent;
import dev.lok8s.lo.events.MirrorStarted;
import dev.lok8s.lo.events.NetworkAdopted;
import dev.lok8s.lo.events.NetworkCreated;
import dev.lok8s.lo.events.NetworkRemoved;
import dev.lok8s.lo.events.NodeConnected;
import dev.lok8s.lo.events.NodeDisconnected;
import dev.lok8s.lo.events.RegistryRemoved;
import dev.lok8s.lo.events.RegistryStarted;
import dev.lok8s.lo.events.RegistryStopped;
import dev.lok8s.lo.failure.Reason;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a run still records on a project's or shared network's stream when another writer appended to it
 * since the run read it (the append's expected version did not match). Pure: given the run's events and
 * the other writers' events since the run's read (this machine's, in stream order), each of the run's
 * events is
 * <ul>
 *   <li>dropped when the other writer already recorded the same fact (the mirror started with the same
 *   configuration, the same project's use of the network, the same removal);</li>
 *   <li>a refusal when the other writer recorded the opposite since (removed what the run records as
 *   started, started what it records as removed, or started it with another configuration): which came
 *   last on the machine cannot be told from the log, so nothing is recorded and the run fails saying so;</li>
 *   <li>otherwise appended after the other writer's events (another project adopting the network is a
 *   fact of its own).</li>
 * </ul>
 */
public final class ConcurrentFacts {

    private ConcurrentFacts() {
    }

    /** The run's events to append after all ({@code Append}, possibly none) or why none may be. */
    public sealed interface Resolution {
        record Append(List<LoEvent> events) implements Resolution {
            public Append {
                events = List.copyOf(events);
            }
        }

        record Refuse(Reason reason) implements Resolution {
            public Refuse {
                Objects.requireNonNull(reason, "a refusal needs its reason");
            }
        }
    }

    public static Resolution resolve(String streamId, List<? extends LoEvent> ours, List<? extends LoEvent> theirs) {
        List<LoEvent> still = new ArrayList<>();
        for (LoEvent event : ours) {
            Optional<String> subject = subject(event);
            LoEvent recorded = null;
            LoEvent opposite = null;
            for (int i = theirs.size() - 1; i >= 0 && recorded == null && opposite == null; i--) {
                LoEvent other = theirs.get(i);
                if (sameFact(event, other)) {
                    recorded = other;
                } else if (subject.isPresent() && subject.equals(subject(other)) && contradicts(event, other)) {
                    opposite = other;
                }
            }
            if (opposite != null) {
                return new Resolution.Refuse(Reason.of("another run recorded '" + EventSummary.of(opposite)
                                + "' on " + streamId + " while this run was recording '" + EventSummary.of(event)
                                + "': the log cannot tell which is true on the machine now",
                        "run the command again: it decides from the machine and the log as they are now"));
            }
            if (recorded == null) {
                still.add(event);
            }
        }
        return new Resolution.Append(still);
    }

    /** What an event is about, for the events whose facts can be the same or opposite; empty for the others. */
    static Optional<String> subject(LoEvent event) {
        return Optional.ofNullable(switch (event) {
            case MirrorStarted e -> "container " + e.container();
            case RegistryStarted e -> "container " + e.container();
            case RegistryRemoved e -> "container " + e.container();
            case RegistryStopped e -> "container " + e.container();
            case NetworkCreated e -> "network " + e.network();
            case NetworkAdopted e -> "network " + e.network();
            case NetworkRemoved e -> "network " + e.network();
            case NodeConnected e -> "node " + e.node() + " on " + e.network();
            case NodeDisconnected e -> "node " + e.node() + " on " + e.network();
            case ClusterCreated e -> "cluster " + e.cluster();
            case ClusterDeleted e -> "cluster " + e.cluster();
            default -> null;
        });
    }

    /** Whether {@code other} records the fact {@code ours} records (who recorded it aside, where that is not the fact). */
    static boolean sameFact(LoEvent ours, LoEvent other) {
        return switch (ours) {
            // A shared mirror is one container whichever project's run started it.
            case MirrorStarted a when other instanceof MirrorStarted b -> a.container().equals(b.container())
                    && Objects.equals(a.configHash(), b.configHash()) && Objects.equals(a.image(), b.image())
                    && Objects.equals(a.ip(), b.ip()) && Objects.equals(a.mode(), b.mode())
                    && Objects.equals(a.loginFingerprint(), b.loginFingerprint());
            // That a project uses a network is the fact, whether the run created or adopted it.
            case NetworkCreated a -> uses(other, a.network(), a.project(), a.cidr());
            case NetworkAdopted a -> uses(other, a.network(), a.project(), a.cidr());
            case NetworkRemoved a -> other instanceof NetworkRemoved b && a.network().equals(b.network());
            case RegistryRemoved a -> other instanceof RegistryRemoved b && a.container().equals(b.container());
            case RegistryStopped a -> other instanceof RegistryStopped b && a.container().equals(b.container());
            case NodeDisconnected a -> other instanceof NodeDisconnected b && a.node().equals(b.node())
                    && a.network().equals(b.network());
            case ClusterDeleted a -> other instanceof ClusterDeleted b && a.cluster().equals(b.cluster());
            default -> ours.equals(other);
        };
    }

    private static boolean uses(LoEvent other, String network, String project, String cidr) {
        return switch (other) {
            case NetworkCreated b -> b.network().equals(network) && Objects.equals(b.project(), project)
                    && Objects.equals(b.cidr(), cidr);
            case NetworkAdopted b -> b.network().equals(network) && Objects.equals(b.project(), project)
                    && Objects.equals(b.cidr(), cidr);
            default -> false;
        };
    }

    /** Whether {@code other}, about the same subject and not the same fact, says the opposite of {@code ours}. */
    private static boolean contradicts(LoEvent ours, LoEvent other) {
        boolean oursGone = gone(ours);
        boolean theirsGone = gone(other);
        if (oursGone != theirsGone) {
            return true;
        }
        if (oursGone) {
            return false;  // a stop and a removal of one container agree that it no longer serves
        }
        // Both say the subject is there: another project on the same network is a fact of its own; a container,
        // node or cluster there with another configuration is not the same thing recorded twice.
        return !(subjectIsNetwork(ours) && subjectIsNetwork(other));
    }

    private static boolean gone(LoEvent event) {
        return event instanceof RegistryRemoved || event instanceof RegistryStopped || event instanceof NetworkRemoved
                || event instanceof NodeDisconnected || event instanceof ClusterDeleted;
    }

    private static boolean subjectIsNetwork(LoEvent event) {
        return event instanceof NetworkCreated || event instanceof NetworkAdopted;
    }
}
