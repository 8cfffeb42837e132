package dev.lok8s.lo.reconcile;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.lok8s.lo.failure.Reason;

import java.util.List;

/**
 * One decided action on one resource, with the reason for it.
 *
 * @param change  what the act part does; null when nothing is done (unchanged, adopt, refuse)
 * @param effects the events that record the action once it is done (more may follow from the act
 *                part where only the machine can tell, such as the address a node was given)
 */
@JsonPropertyOrder({"verb", "target", "reason"})
public record Action(Verb verb, String target, String reason, @JsonIgnore Change change,
                     @JsonIgnore List<Effect> effects, @JsonIgnore Reason refusal) {

    public Action {
        effects = List.copyOf(effects);
    }

    public Action(Verb verb, String target, String reason, Change change, List<Effect> effects) {
        this(verb, target, reason, change, effects, null);
    }

    public static Action unchanged(String target, String reason) {
        return new Action(Verb.UNCHANGED, target, reason, null, List.of());
    }

    /** Refuses the step: its reason is the text the run records (and a dry run shows). */
    public static Action refuse(String target, Reason why) {
        return new Action(Verb.REFUSE, target, why.recorded(), null, List.of(), why);
    }

    @JsonIgnore
    public boolean mutates() {
        return change != null && change.mutates();
    }
}
