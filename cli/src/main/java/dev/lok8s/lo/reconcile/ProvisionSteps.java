package dev.lok8s.lo.reconcile;

import dev.lok8s.lo.events.StepOutcome;
import dev.lok8s.lo.plan.PlannedStep;

import java.util.ArrayList;
import java.util.List;

/**
 * A provision's steps as the run executes them: each decided by {@link ProvisionRules} against the
 * machine as this run has changed it so far, carried out by {@link EngineActions}, and what the actions
 * observed on the way (a resource another process made meanwhile, the registries' answers) judged by
 * the rules again. Deciding and doing meet here and nowhere else.
 */
public final class ProvisionSteps implements StepHandler<Change.Provision> {

    private final ProvisionRules rules;
    private final RunSnapshot machine;
    private final EngineActions actions;

    /** @param actions acting on {@code machine}, the snapshot the rules decide against */
    public ProvisionSteps(ProvisionRules rules, RunSnapshot machine, EngineActions actions) {
        this.rules = rules;
        this.machine = machine;
        this.actions = actions;
    }

    @Override
    public StepDecision<Change.Provision> decide(PlannedStep step) {
        return rules.decide(step, machine.current(), machine.startedThisRun());
    }

    @Override
    public StepResult act(StepDecision<Change.Provision> decision) {
        List<Effect> effects = new ArrayList<>();
        List<String> warnings = new ArrayList<>(decision.warnings());
        List<String> details = new ArrayList<>();
        StepOutcome outcome = decision.outcome();
        for (Action<Change.Provision> action : decision.actions()) {
            effects.addAll(action.effects());
            details.add(action.reason());
            if (action.change() == null) {
                continue;
            }
            switch (actions.carryOut(action)) {
                case Acted.Done done -> {
                    effects.addAll(done.effects());
                    if (done.detail() != null) {
                        details.set(details.size() - 1, done.detail());
                    }
                    if (done.outcome() != null) {
                        outcome = done.outcome();
                    }
                }
                case Acted.NetworkTaken taken -> {
                    switch (rules.racedNetwork(decision.plannedStep(), taken, machine.current())) {
                        case ProvisionRules.RacedNetwork.Adopt adopt -> {
                            actions.adopt(taken.found().orElseThrow());
                            // Another run created it a moment ago: carried out as decided again against it.
                            return act(adopt.decidedAgain());
                        }
                        case ProvisionRules.RacedNetwork.Fail fail ->
                                throw new StepFailedException(fail.why().message(), taken.conflict());
                    }
                }
                case Acted.RegistryTaken taken -> {
                    switch (rules.racedRegistry(taken, machine.current())) {
                        case ProvisionRules.RacedRegistry.Adopt adopt -> actions.adopt(adopt.found());
                        case ProvisionRules.RacedRegistry.Refuse refuse -> throw StepFailedException.refused(refuse.why());
                    }
                }
                case Acted.Probed probed -> {
                    ProvisionRules.Verification verification = rules.verified(probed);
                    if (!verification.silent().isEmpty()) {
                        throw new StepFailedException(String.join("\n", verification.silent().stream()
                                .map(s -> s.withLogs(actions.lastLogLines(s.registry()))).toList()), false);
                    }
                    warnings.addAll(verification.warnings());
                    details.set(details.size() - 1, verification.detail());
                }
            }
        }
        return new StepResult(outcome, effects, String.join("; ", details), warnings);
    }
}
