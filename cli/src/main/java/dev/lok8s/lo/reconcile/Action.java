package dev.lok8s.lo.reconcile;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.lok8s.lo.failure.Reason;

import java.util.List;
import java.util.Objects;

/**
 * One decided action on one resource, with the reason for it: either an action the run takes
 * ({@link Proceed}) or a refusal ({@link Refuse}), which cannot exist without the {@link Reason} the
 * run records and prints.
 */
public sealed interface Action<C extends Change> permits Action.Proceed, Action.Refuse {

    /** What the action does to the resource. */
    Verb verb();

    String target();

    /** Why, one line (a refusal's recorded reason). */
    String reason();

    /** What the act part does; null when nothing is done (unchanged, adopt, refuse). */
    @JsonIgnore
    C change();

    /**
     * The events that record the action once it is done (more may follow from the act part where only
     * the machine can tell, such as the address a node was given).
     */
    @JsonIgnore
    List<Effect> effects();

    @JsonIgnore
    default boolean mutates() {
        return change() != null && change().mutates();
    }

    static <C extends Change> Proceed<C> unchanged(String target, String reason) {
        return new Proceed<>(Verb.UNCHANGED, target, reason, null, List.of());
    }

    /** Refuses the step: its reason is the text the run records (and a dry run shows). */
    static <C extends Change> Refuse<C> refuse(String target, Reason why) {
        return new Refuse<>(target, why);
    }

    /** An action the run takes (or, unchanged and adopt, records without changing anything). */
    @JsonPropertyOrder({"verb", "target", "reason"})
    record Proceed<C extends Change>(Verb verb, String target, String reason, @JsonIgnore C change,
                                     @JsonIgnore List<Effect> effects) implements Action<C> {

        public Proceed {
            Objects.requireNonNull(verb, "verb");
            if (verb == Verb.REFUSE) {
                throw new IllegalArgumentException("a refusal of " + target + " is an Action.Refuse, with its Reason");
            }
            effects = List.copyOf(effects);
        }
    }

    /** The step must not run: a precondition does not hold, for the reason given. Changes nothing. */
    @JsonPropertyOrder({"verb", "target", "reason"})
    record Refuse<C extends Change>(String target, @JsonIgnore Reason why) implements Action<C> {

        public Refuse {
            Objects.requireNonNull(why, "a refusal needs its reason");
        }

        @Override
        @JsonProperty
        public Verb verb() {
            return Verb.REFUSE;
        }

        @Override
        @JsonProperty
        public String reason() {
            return why.recorded();
        }

        @Override
        public C change() {
            return null;
        }

        @Override
        public List<Effect> effects() {
            return List.of();
        }
    }
}
