package dev.lok8s.lo.reconcile;

import dev.lok8s.lo.plan.PlannedStep;

/**
 * A teardown's steps as the run executes them: each decided by {@link TeardownRules} against the machine
 * as this run has changed it so far, and carried out by {@link TeardownActions}.
 */
public final class TeardownSteps implements StepHandler<Change.Teardown> {

    private final TeardownRules rules;
    private final RunSnapshot machine;
    private final TeardownActions actions;

    /** @param actions acting on {@code machine}, the snapshot the rules decide against */
    public TeardownSteps(TeardownRules rules, RunSnapshot machine, TeardownActions actions) {
        this.rules = rules;
        this.machine = machine;
        this.actions = actions;
    }

    @Override
    public StepDecision<Change.Teardown> decide(PlannedStep step) {
        return rules.decide(step, machine.current());
    }

    @Override
    public StepResult act(StepDecision<Change.Teardown> decision) {
        return actions.act(decision);
    }
}
