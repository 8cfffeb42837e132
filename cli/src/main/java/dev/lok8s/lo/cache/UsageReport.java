package dev.lok8s.lo.cache;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.lok8s.lo.plan.Role;
import dev.lok8s.lo.plan.Scope;
import dev.lok8s.lo.upstream.PullBudget;

import java.time.Instant;
import java.util.List;
import java.util.Map;

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
     * @param traffic        for a mirror, the blob requests it served from its cache and fetched from upstream
     *                       as lo read them from its log; null for build and cache
     * @param pullBudget     for a mirror, the pulls its upstream says the mirror's login has left; null when
     *                       not asked (build and cache)
     */
    @JsonPropertyOrder({"name", "role", "scope", "container", "ip", "url", "state", "volume", "volumeBytes",
            "repositories", "tags", "truncated", "lastPull", "lastPullImage", "usedBy", "error", "traffic",
            "pullBudget"})
    public record RegistryUsage(String name, Role role, Scope scope, String container, String ip, String url,
                                String state, String volume, Long volumeBytes, Integer repositories, Integer tags,
                                boolean truncated, Instant lastPull, String lastPullImage, List<String> usedBy,
                                String error, Traffic traffic, PullBudget pullBudget) {
        public RegistryUsage {
            usedBy = List.copyOf(usedBy);
        }

        /** Without a pull budget. */
        public RegistryUsage(String name, Role role, Scope scope, String container, String ip, String url,
                             String state, String volume, Long volumeBytes, Integer repositories, Integer tags,
                             boolean truncated, Instant lastPull, String lastPullImage, List<String> usedBy,
                             String error, Traffic traffic) {
            this(name, role, scope, container, ip, url, state, volume, volumeBytes, repositories, tags, truncated,
                    lastPull, lastPullImage, usedBy, error, traffic, null);
        }

        /** Without traffic figures (build and cache). */
        public RegistryUsage(String name, Role role, Scope scope, String container, String ip, String url,
                             String state, String volume, Long volumeBytes, Integer repositories, Integer tags,
                             boolean truncated, Instant lastPull, String lastPullImage, List<String> usedBy,
                             String error) {
            this(name, role, scope, container, ip, url, state, volume, volumeBytes, repositories, tags, truncated,
                    lastPull, lastPullImage, usedBy, error, null);
        }
    }

    /** The same report with each mirror's pull budget from {@code budgets} (by container); others unchanged. */
    public UsageReport withPullBudgets(Map<String, PullBudget> budgets) {
        if (budgets.isEmpty()) {
            return this;
        }
        return new UsageReport(project, domain, registries.stream().map(r -> budgets.containsKey(r.container())
                ? new RegistryUsage(r.name(), r.role(), r.scope(), r.container(), r.ip(), r.url(), r.state(),
                r.volume(), r.volumeBytes(), r.repositories(), r.tags(), r.truncated(), r.lastPull(),
                r.lastPullImage(), r.usedBy(), r.error(), r.traffic(), budgets.get(r.container())) : r).toList(),
                totalBytes);
    }

    /**
     * A mirror's blob requests: hits were served from its cache, misses fetched from its upstream (see
     * docs/registry-commands.md for how lo tells them apart). {@code hitBytes} did not cross to the upstream.
     *
     * @param projects the same per project ({@code null} project: a client lo cannot name, such as the host)
     * @param hourly   per hour over the last {@link UsageService#HOURLY_DAYS} days, oldest first
     */
    @JsonPropertyOrder({"hits", "misses", "hitBytes", "missBytes", "projects", "hourly"})
    public record Traffic(long hits, long misses, long hitBytes, long missBytes, List<Counts> projects,
                          List<Counts> hourly) {
        public Traffic {
            projects = List.copyOf(projects);
            hourly = List.copyOf(hourly);
        }
    }

    /** Hits and misses of one project or one hour. */
    @JsonPropertyOrder({"project", "hour", "hits", "misses", "hitBytes", "missBytes"})
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Counts(String project, Instant hour, long hits, long misses, long hitBytes, long missBytes) {
    }
}
