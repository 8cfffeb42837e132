package dev.lok8s.lo.plan;

import java.util.List;
import java.util.Map;

/**
 * The plan's hash: sha-256 over a canonical rendering of every component of the plan's records but
 * the hash itself and a network's dynamic range (a function of its cidr, never hashed: leaving it out
 * keeps the hashes earlier versions recorded, so their interrupted runs still resume). A registry's host
 * port is rendered only when it has one, for the same reason: a plan without host ports is the plan of
 * the versions before them and hashes as it did. Each value is
 * written length-prefixed, so no two different plans render alike, and the rendering is ours (not a
 * JSON library's) so it stays stable across library upgrades.
 * <p>
 * Written out by hand because it runs for every command that plans: a walk over the records by
 * reflection took 10 to 30 ms a plan against 1 to 5. {@code PlanHashTest} walks them by reflection
 * and fails when a component added to a record is not rendered here.
 */
final class PlanHash {

    private final StringBuilder out = new StringBuilder();

    private PlanHash() {
    }

    /** @param plan a plan whose {@code hash} is ignored */
    static String of(RegistryPlan plan) {
        PlanHash h = new PlanHash();
        h.field("project", plan.project())
                .field("domain", plan.domain())
                .field("slot", Integer.toString(plan.slot()))
                .field("clusterName", plan.clusterName());
        h.network("projectNetwork", plan.projectNetwork());
        h.network("sharedNetwork", plan.sharedNetwork());
        h.field("tls", Boolean.toString(plan.tls()))
                .field("port", Integer.toString(plan.port()))
                .field("image", plan.image());
        h.count("registries", plan.registries().size());
        for (PlannedRegistry r : plan.registries()) {
            h.field("name", r.name()).field("role", r.role().label()).field("container", r.container())
                    .field("network", r.network()).field("ip", r.ip()).field("hostname", r.hostname())
                    .field("url", r.url()).field("upstream", r.upstream()).field("volume", r.volume())
                    .field("config", r.config()).field("configHash", r.configHash())
                    .map("labels", r.labels());
            if (r.hostPort() != null) {
                // Only when published: a plan without host ports hashes as the versions before them did.
                h.field("hostPort", Integer.toString(r.hostPort()));
            }
        }
        h.list("tlsSans", plan.tlsSans());
        h.field("certsDir", plan.certsDir());
        h.map("certsFiles", plan.certsFiles());
        h.field("kindConfig", plan.kindConfig());
        h.count("steps", plan.steps().size());
        for (PlannedStep s : plan.steps()) {
            h.field("id", s.id()).field("kind", s.kind().id()).field("target", s.target())
                    .list("dependsOn", s.dependsOn());
        }
        return Sha256.hex(h.out.toString());
    }

    private void network(String key, PlannedNetwork network) {
        if (network == null) {
            field(key, null);
            return;
        }
        count(key, 1);
        field("name", network.name()).field("cidr", network.cidr()).field("gateway", network.gateway())
                .field("scope", network.scope().label()).map("labels", network.labels());
    }

    private PlanHash field(String key, String value) {
        out.append(key);
        if (value == null) {
            out.append("~\n");
        } else {
            out.append('=').append(value.length()).append(':').append(value).append('\n');
        }
        return this;
    }

    private PlanHash count(String key, int size) {
        out.append(key).append('#').append(size).append('\n');
        return this;
    }

    private PlanHash list(String key, List<String> values) {
        count(key, values.size());
        values.forEach(v -> field("-", v));
        return this;
    }

    private PlanHash map(String key, Map<String, String> values) {
        count(key, values.size());
        values.forEach((k, v) -> field("k", k).field("v", v));
        return this;
    }
}
