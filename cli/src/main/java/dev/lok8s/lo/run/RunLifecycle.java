package dev.lok8s.lo.run;

import dev.lok8s.lo.events.Streams;
import dev.lok8s.lo.events.ShortId;
import dev.lok8s.lo.version.LoVersion;
import dev.lok8s.lo.events.EventMetadata;
import dev.lok8s.lo.events.LeaseTakenOver;
import dev.lok8s.lo.events.LoEvent;
import dev.lok8s.lo.events.RunRejected;
import dev.lok8s.lo.events.RunResumed;
import dev.lok8s.lo.events.RunStarted;
import dev.lok8s.lo.store.EventStore;
import dev.lok8s.lo.store.ExpectedVersion;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The one place that owns a run's life, for provision, teardown, prune and warm alike: take the project's
 * lease (taking over a dead holder's), start a new run or resume one, record the takeover, hand the
 * run to its body, and release the lease whatever happens. The body records the steps and the end
 * (RunCompleted or RunFailed, see {@link StepExecutor}).
 */
public final class RunLifecycle {

    /** What is being run: recorded in RunStarted / RunResumed. */
    public record Start(String command, String domain, String project, String planHash, String commandLine,
                        int stepCount) {
    }

    /**
     * A run that can be resumed: its id, the steps it completed that the resume skips, and the steps it
     * recorded complete but must do again (their effect is gone from the machine; see
     * {@code ProvisionRules.stepsToRedo}).
     */
    public record Resumable(UUID runId, Set<String> completedSteps, List<String> redone) {
        public Resumable {
            completedSteps = Collections.unmodifiableSet(new LinkedHashSet<>(completedSteps));
            redone = List.copyOf(redone);
        }

        public Resumable(UUID runId, Set<String> completedSteps) {
            this(runId, completedSteps, List.of());
        }
    }

    /** The run itself, once its lease is held and its start recorded. */
    @FunctionalInterface
    public interface Body {
        RunOutcome run(UUID runId, EventSink sink, Set<String> alreadyCompleted);
    }

    private final EventStore store;
    private final ProjectLeases leases;

    public RunLifecycle(EventStore store, ProjectLeases leases) {
        this.store = store;
        this.leases = leases;
    }

    /** Records an attempt refused for bad input; nothing else is written and nothing on the machine changes. */
    public UUID reject(String domain, String project, String command, String reason, String commandLine) {
        return reject(domain, project, command, reason, commandLine, List.of());
    }

    /**
     * Records an attempt refused, after what the refusal found ({@code findings}, such as the subnet mismatches
     * that refuse a provision), in the refused run's stream and one transaction.
     */
    public UUID reject(String domain, String project, String command, String reason, String commandLine,
                       List<LoEvent> findings) {
        UUID runId = UUID.randomUUID();
        List<LoEvent> events = new ArrayList<>(findings);
        events.add(new RunRejected(runId, domain, project, command, reason));
        store.append(Streams.run(runId), ExpectedVersion.NO_STREAM, events,
                EventMetadata.local(runId, commandLine, LoVersion.current()));
        return runId;
    }

    /**
     * @param resumable asked once the lease is held (what is resumable cannot change under us then):
     *                  the run to continue, or empty for a new one
     */
    public RunOutcome run(Start start, boolean waitForLease, Supplier<Optional<Resumable>> resumable,
                          ProgressListener progress, Body body) {
        return run(start, waitForLease, resumable, progress, new RunStreams(), body);
    }

    /**
     * @param streams the versions of the streams the run reads before deciding ({@link KnownStates} fills
     *                them); its appends expect them ({@link StreamWriter})
     */
    public RunOutcome run(Start start, boolean waitForLease, Supplier<Optional<Resumable>> resumable,
                          ProgressListener progress, RunStreams streams, Body body) {
        ProjectLeases leases = this.leases.notingTo(progress::note);
        ProjectLeases.Lease lease = leases.acquire(start.project(), UUID.randomUUID(), waitForLease);
        try {
            Optional<Resumable> resumed = resumable.get();
            UUID runId = resumed.map(Resumable::runId).orElseGet(UUID::randomUUID);
            lease = leases.reassign(lease, runId);
            EventMetadata meta = EventMetadata.local(runId, start.commandLine(), LoVersion.current());
            String runStream = Streams.run(runId);
            EventSink sink = new StreamWriter(store, meta, runId, streams);
            long pid = ProcessHandle.current().pid();
            Set<String> done = resumed.map(Resumable::completedSteps).orElse(Set.of());
            if (resumed.isPresent()) {
                List<String> redone = resumed.get().redone();
                progress.note("resuming run " + ShortId.of(runId) + ": " + done.size() + " of " + start.stepCount()
                        + " steps already done" + (redone.isEmpty() ? "" : "; " + redone.size()
                        + " recorded done but undone on the machine since, done again: " + String.join(", ", redone)));
                streams.observed(runStream, store.streamVersion(runStream));
                sink.append(runStream, List.of(new RunResumed(runId, start.command(), start.domain(), start.project(),
                        start.planHash(), pid, EventMetadata.hostName(), done.size())));
            } else {
                streams.observed(runStream, store.append(runStream, ExpectedVersion.NO_STREAM, List.of(new RunStarted(
                        runId, start.command(), start.domain(), start.project(), start.planHash(), pid,
                        EventMetadata.hostName())), meta).streamVersion());
            }
            if (lease.takenOverFrom() != null) {
                ProjectLeases.Holder gone = lease.takenOverFrom();
                progress.note("took over the lease of " + gone + ": its process is gone");
                sink.append(runStream, List.of(new LeaseTakenOver(runId, start.domain(), start.project(), gone.runId(),
                        gone.pid(), gone.host(), gone.since() == null ? null : gone.since().toInstant())));
            }
            return body.run(runId, sink, done);
        } finally {
            leases.release(lease);
        }
    }
}
