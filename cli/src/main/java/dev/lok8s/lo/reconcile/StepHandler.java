package dev.lok8s.lo.reconcile;

import dev.lok8s.lo.plan.PlannedStep;

/** Decides a step (purely, against the run's current snapshot) and carries the decision out. */
public interface StepHandler<C extends Change> {

    StepDecision<C> decide(PlannedStep step);

    /** Carries out the decision's changing actions; throws StepFailedException and engine exceptions. */
    StepResult act(StepDecision<C> decision);
}
