package dev.lok8s.lo.reconcile;

import dev.lok8s.lo.engine.ContainerInfo;
import dev.lok8s.lo.engine.NetworkInfo;
import dev.lok8s.lo.engine.ResourceConflictException;
import dev.lok8s.lo.events.StepOutcome;
import dev.lok8s.lo.plan.PlannedNetwork;
import dev.lok8s.lo.plan.PlannedRegistry;
import dev.lok8s.lo.registry.RegistryProbe;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What {@link EngineActions} reports of one change it carried out: done, or what it observed where
 * only the rules can say what follows (a resource another process made meanwhile, the registries'
 * answers). It decides nothing; {@link ProvisionSteps} hands the observations to {@link ProvisionRules}.
 */
public sealed interface Acted {

    /**
     * Done: the events only the machine could tell (a cluster's nodes, a certificate issued), and the
     * detail and outcome that replace the decided ones (null: as decided).
     */
    record Done(List<Effect> effects, String detail, StepOutcome outcome) implements Acted {
        public Done {
            effects = List.copyOf(effects);
        }

        static Done asDecided() {
            return new Done(List.of(), null, null);
        }

        static Done with(Effect effect) {
            return new Done(List.of(effect), null, null);
        }
    }

    /**
     * The network could not be created: the engine said {@code conflict}. What has that name now, looked
     * for a short while (the other process's network may not be listed yet), empty when nothing does.
     *
     * @param replacing the change was a recreate: lo had just removed the network it replaces
     */
    record NetworkTaken(PlannedNetwork network, Optional<NetworkInfo> found, ResourceConflictException conflict,
                        boolean replacing) implements Acted {
    }

    /** The registry's container could not be created: the engine said {@code conflict}; what has its name now. */
    record RegistryTaken(PlannedRegistry registry, Optional<ContainerInfo> found, ResourceConflictException conflict)
            implements Acted {
    }

    /** The registries asked {@code GET /v2/}: each one's answer, in the order asked. */
    record Probed(Change.ProbeRegistries probes, Map<PlannedRegistry, RegistryProbe.Answer> answers)
            implements Acted {
    }
}
