package dev.lok8s.lo.cache;

import dev.lok8s.lo.engine.ContainerEngine;
import dev.lok8s.lo.engine.ContainerInfo;
import dev.lok8s.lo.plan.Labels;
import dev.lok8s.lo.plan.PlannedRegistry;
import dev.lok8s.lo.plan.Role;
import dev.lok8s.lo.projection.RegistryLog.RecordedProject;
import dev.lok8s.lo.projection.RegistryLog.RecordedRegistry;
import dev.lok8s.lo.status.RecordedRegistryStatus;
import dev.lok8s.lo.store.EventStore;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@link UsageReport}s from the event log and the engine alone, without a spec: each project's registries as
 * the log last recorded them ({@link RecordedRegistryStatus#registriesOf}), measured as
 * {@code lo registry usage} measures a plan's. The REST API answers with it wherever {@code lo serve} runs.
 */
public final class RecordedUsage {

    private final EventStore store;
    private final ContainerEngine engine;
    private final Supplier<String> caPem;

    /**
     * @param caPem the CA to verify TLS registries with (mkcert's), or null for the JDK's trust store; asked
     *              only when a recorded registry serves TLS
     */
    public RecordedUsage(EventStore store, ContainerEngine engine, Supplier<String> caPem) {
        this.store = store;
        this.engine = engine;
        this.caPem = caPem;
    }

    /**
     * A report per recorded project, by domain then project, one after the other: the engine answers one
     * disk-usage report at a time, and a shared mirror's log is read by one report at a time.
     */
    public List<UsageReport> all() {
        return reports(null);
    }

    /** The report of the project the log records for {@code domain}; empty when it records none. */
    public Optional<UsageReport> forDomain(String domain) {
        return reports(domain).stream().findFirst();
    }

    private List<UsageReport> reports(String domain) {
        RecordedRegistryStatus.Recorded recorded = new RecordedRegistryStatus(store, engine, caPem).recorded(domain);
        if (recorded.projects().isEmpty()) {
            return List.of();
        }
        Map<String, ContainerInfo> containers = new LinkedHashMap<>();
        for (RecordedRegistry r : recorded.registries()) {
            engine.findContainer(r.container()).ifPresent(c -> containers.put(c.name(), c));
        }
        boolean anyTls = containers.values().stream().anyMatch(RecordedUsage::tls);
        List<UsageService.Subject> subjects = subjects(recorded, containers, anyTls ? caPem.get() : null);
        UsageService usage = new UsageService(store, engine);
        List<UsageReport> reports = new ArrayList<>();
        for (UsageService.Subject subject : subjects) {
            if (Thread.currentThread().isInterrupted()) {
                throw new UsageService.UsageCancelledException();
            }
            reports.add(usage.report(subject, UsageService.DEADLINE));
        }
        return reports;
    }

    /**
     * What to measure for each recorded project, by domain then project: its own registries (used by it alone),
     * then the mirrors of the shared network it uses (used by every project recorded on it). A registry is
     * reached at the address Docker gives it on its network, else the recorded one, over TLS when its
     * container carries a certificate; its volume is named as lo names volumes ({@code <container>-data}). Pure.
     */
    public static List<UsageService.Subject> subjects(RecordedRegistryStatus.Recorded recorded,
                                                      Map<String, ContainerInfo> containers, String caPem) {
        List<RecordedProject> projects = new ArrayList<>(recorded.projects());
        projects.sort(Comparator.comparing((RecordedProject p) -> String.valueOf(p.domain()))
                .thenComparing(RecordedProject::name));
        List<UsageService.Subject> subjects = new ArrayList<>();
        for (RecordedProject project : projects) {
            RecordedRegistryStatus.ProjectRegistries registries = RecordedRegistryStatus.registriesOf(project,
                    recorded);
            List<UsageService.Measured> measured = new ArrayList<>();
            for (RecordedRegistry r : registries.own()) {
                measured.add(new UsageService.Measured(planned(r, containers.get(r.container())), false,
                        List.of(project.name())));
            }
            for (RecordedRegistry r : registries.shared()) {
                measured.add(new UsageService.Measured(planned(r, containers.get(r.container())), true,
                        registries.sharedUsers()));
            }
            subjects.add(new UsageService.Subject(project.name(), project.domain(), measured, caPem));
        }
        return subjects;
    }

    private static PlannedRegistry planned(RecordedRegistry r, ContainerInfo container) {
        String ip = container == null ? r.ip() : container.networks().getOrDefault(r.network(), r.ip());
        String url = ip == null ? null : (container != null && tls(container) ? "https://" : "http://") + ip
                + "/v2/_catalog";
        Role role = r.role() == null ? Role.MIRROR : r.role();
        return new PlannedRegistry(RecordedRegistryStatus.name(r), role, r.container(), r.network(), ip, null, url,
                r.upstream(), r.container() + "-data", null, r.configHash(), Map.of());
    }

    private static boolean tls(ContainerInfo container) {
        return container.labels().containsKey(Labels.CERT_SHA256);
    }
}
