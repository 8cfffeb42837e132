package dev.lok8s.lo.reconcile;

import dev.lok8s.lo.engine.ContainerEngine;
import dev.lok8s.lo.engine.ContainerInfo;
import dev.lok8s.lo.kind.KindExecutable;
import dev.lok8s.lo.observe.MachineSnapshot;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * The act part of a teardown: carries out the changes {@link TeardownRules} decided and keeps the run's
 * snapshot up to date with what it did. Decides nothing ({@link TeardownSteps} joins the two).
 */
public final class TeardownActions {

    private final ContainerEngine engine;
    private final KindExecutable kind;
    private final Consumer<String> output;
    /** The machine as this run has changed it so far. */
    private final RunSnapshot machine;

    public TeardownActions(RunSnapshot machine, ContainerEngine engine, KindExecutable kind, Consumer<String> output) {
        this.engine = engine;
        this.kind = kind;
        this.output = output;
        this.machine = machine;
    }

    /** Carries out the decision's changes; throws engine and kind exceptions. */
    public StepResult act(StepDecision<Change.Teardown> decision) {
        List<Effect> effects = new ArrayList<>();
        List<String> details = new ArrayList<>();
        for (Action<Change.Teardown> action : decision.actions()) {
            effects.addAll(action.effects());
            details.add(action.reason());
            if (action.change() == null) {
                continue;
            }
            switch (action.change()) {
                case Change.StopContainer c -> {
                    engine.stopContainer(c.container());
                    engine.findContainer(c.container()).ifPresent(found -> update(s -> s.withContainer(found)));
                }
                case Change.RemoveContainer c -> {
                    engine.removeContainer(c.container());
                    update(s -> s.withoutContainer(c.container()));
                }
                case Change.RemoveVolume c -> {
                    engine.removeVolume(c.volume());
                    update(s -> s.withoutVolume(c.volume()));
                }
                case Change.Disconnect c -> {
                    engine.disconnect(c.network(), c.container(), true);
                    output.accept("disconnected " + c.container() + " from " + c.network());
                    update(s -> s.container(c.container()).map(found -> s.withContainer(off(found, c.network())))
                            .orElse(s));
                }
                case Change.DeleteCluster c -> {
                    kind.deleteCluster(c.cluster(), output);
                    update(s -> {
                        MachineSnapshot next = s;
                        for (ContainerInfo node : s.nodes(c.cluster())) {
                            next = next.withoutContainer(node.name());
                        }
                        return next;
                    });
                }
                case Change.RemoveNetwork c -> {
                    engine.removeNetwork(c.network());
                    update(s -> s.withoutNetwork(c.network()));
                }
            }
        }
        return new StepResult(decision.outcome(), effects, String.join("; ", details), decision.warnings());
    }

    private void update(UnaryOperator<MachineSnapshot> change) {
        machine.update(change);
    }

    private static ContainerInfo off(ContainerInfo container, String network) {
        Map<String, String> networks = new HashMap<>(container.networks());
        networks.remove(network);
        return new ContainerInfo(container.id(), container.name(), container.image(), container.state(),
                container.labels(), networks);
    }
}
