package dev.lok8s.lo.plan;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.List;
import java.util.Map;

/**
 * The plan's hash: sha-256 over a canonical rendering of every component of the plan but the hash,
 * walked through the records themselves, so a component added to the plan is hashed without anyone
 * remembering to. Each value is written length-prefixed, so no two different plans render alike, and
 * the rendering is ours (not a JSON library's) so it stays stable across library upgrades.
 */
final class PlanHash {

    /**
     * Components left out: the hash itself, and a network's dynamic range, which is a function of its
     * cidr (so hashing it tells no two plans apart) and was never hashed; leaving it out keeps the
     * hashes recorded by earlier versions, so their interrupted runs still resume.
     */
    private static final java.util.Set<String> NOT_HASHED = java.util.Set.of("RegistryPlan.hash",
            "PlannedNetwork.dynamicRange");

    private final StringBuilder out = new StringBuilder();

    private PlanHash() {
    }

    /** @param plan a plan whose {@code hash} is ignored */
    static String of(RegistryPlan plan) {
        PlanHash h = new PlanHash();
        h.components(plan);
        return Sha256.hex(h.out.toString());
    }

    private void value(String key, Object value) {
        switch (value) {
            case null -> field(key, null);
            case String s -> field(key, s);
            case Integer i -> field(key, i.toString());
            case Boolean b -> field(key, b.toString());
            case Role role -> field(key, role.label());
            case Scope scope -> field(key, scope.label());
            case StepKind kind -> field(key, kind.id());
            case List<?> list -> {
                count(key, list.size());
                list.forEach(element -> {
                    if (element instanceof Record r) {
                        components(r);
                    } else {
                        value("-", element);
                    }
                });
            }
            case Map<?, ?> map -> {
                count(key, map.size());
                map.forEach((k, v) -> {
                    field("k", (String) k);
                    value("v", v);
                });
            }
            case Record r -> {
                count(key, 1);
                components(r);
            }
            default -> throw new IllegalArgumentException(
                    "the plan hash has no canonical form for " + value.getClass().getName() + " (" + key + ")");
        }
    }

    private void components(Record record) {
        for (RecordComponent component : record.getClass().getRecordComponents()) {
            if (NOT_HASHED.contains(record.getClass().getSimpleName() + "." + component.getName())) {
                continue;
            }
            value(component.getName(), read(component, record));
        }
    }

    private static Object read(RecordComponent component, Record record) {
        try {
            return component.getAccessor().invoke(record);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot read " + component + " of the plan", e);
        }
    }

    private void field(String key, String value) {
        out.append(key);
        if (value == null) {
            out.append("~\n");
        } else {
            out.append('=').append(value.length()).append(':').append(value).append('\n');
        }
    }

    private void count(String key, int size) {
        out.append(key).append('#').append(size).append('\n');
    }
}
