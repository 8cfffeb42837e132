package dev.lok8s.lo.cache;

import dev.lok8s.lo.plan.Scope;
import dev.lok8s.lo.plan.Role;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.time.Instant;
import java.util.List;

/**
 * How much each registry of a project holds: {@code lo registry usage} and
 * {@code GET /api/registries/usage}. Sizes are bytes; the text output turns them into units.
 *
 * @param totalBytes sum of the registries' volume sizes that are known
 */
@JsonPropertyOrder({"project", "domain", "registries", "totalBytes"})
public record UsageReport(String project, String domain, List<RegistryUsage> registries, long totalBytes) {

    public UsageReport {
        registries = List.copyOf(registries);
    }

    /**
     * One registry.
     *
     * @param scope          {@code shared} for mirrors on the shared network, else {@code project}
     * @param state          the container's state, {@code missing} when there is none
     * @param volumeBytes    disk used by its data volume; null when the volume does not exist
     * @param repositories   repositories in its catalog; null when it could not be asked
     * @param tags           tags over those repositories (for a mirror, as its upstream lists them while it
     *                       answers); null when it could not be asked
     * @param truncated      whether the catalog or a tag list was longer than lo reads
     * @param lastPull       the newest manifest GET by a client other than lo, from the container's
     *                       recent log lines; null when none is among them
     * @param lastPullImage  {@code repository:reference} of that pull
     * @param usedBy         projects using it: for shared mirrors every project the log records on
     *                       the shared network, else this project
     * @param error          why the registry could not be asked, or null
     */
    @JsonPropertyOrder({"name", "role", "scope", "container", "ip", "url", "state", "volume", "volumeBytes",
            "repositories", "tags", "truncated", "lastPull", "lastPullImage", "usedBy", "error"})
    public record RegistryUsage(String name, Role role, Scope scope, String container, String ip, String url,
                                String state, String volume, Long volumeBytes, Integer repositories, Integer tags,
                                boolean truncated, Instant lastPull, String lastPullImage, List<String> usedBy,
                                String error) {
        public RegistryUsage {
            usedBy = List.copyOf(usedBy);
        }
    }
}
