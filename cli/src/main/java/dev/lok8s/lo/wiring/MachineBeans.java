package dev.lok8s.lo.wiring;

import dev.lok8s.lo.config.LoConfig;
import dev.lok8s.lo.engine.ContainerEngine;
import dev.lok8s.lo.engine.NetworkInfo;
import dev.lok8s.lo.kind.KindExecutable;
import dev.lok8s.lo.registry.RegistryProbe;
import dev.lok8s.lo.run.ProjectLeases;
import dev.lok8s.lo.run.ProvisionService;
import dev.lok8s.lo.run.PruneService;
import dev.lok8s.lo.run.TeardownService;
import dev.lok8s.lo.run.WarmService;
import dev.lok8s.lo.store.EventStore;
import dev.lok8s.lo.store.StoreLocation;
import dev.lok8s.lo.upstream.MirrorUpstreams;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;
import java.util.Optional;

/** CDI wiring of the run package: plain classes, built from lo's configuration. */
@ApplicationScoped
public class MachineBeans {

    @Produces
    @ApplicationScoped
    KindExecutable kind(LoConfig config) {
        return new KindExecutable(config.kindPath().orElse(null), System.getenv(), config.kindTimeoutSeconds());
    }

    @Produces
    @ApplicationScoped
    RegistryProbe registryProbe(LoConfig config) {
        return new RegistryProbe(config.registryWait(), config.mirrorWait());
    }

    @Produces
    @ApplicationScoped
    ProvisionService provisionService(EventStore store, ContainerEngine engine, KindExecutable kind,
                                      RegistryProbe probe, MirrorUpstreams upstreams) {
        ProjectLeases leases = leases(store);
        return new ProvisionService(store, engine, kind, probe, leases, System.getenv(), upstreams);
    }

    /**
     * Mirror logins from the Docker client's configuration, their fingerprint key in the state directory; the
     * engine's networks for the rule on upstreams in planned networks not created yet.
     */
    @Produces
    @ApplicationScoped
    MirrorUpstreams mirrorUpstreams(@ConfigProperty(name = "lo.state-dir") Optional<String> stateDir,
                                    LoConfig config, ContainerEngine engine) {
        return new MirrorUpstreams(System.getenv(), StoreLocation.stateDir(stateDir.orElse(null), System::getenv),
                config.upstreamConnectTimeout(), config.upstreamRequestTimeout(),
                () -> engine.listNetworks().stream().map(NetworkInfo::name).toList());
    }

    @Produces
    @ApplicationScoped
    TeardownService teardownService(EventStore store, ContainerEngine engine, KindExecutable kind) {
        ProjectLeases leases = leases(store);
        return new TeardownService(store, engine, kind, leases);
    }

    @Produces
    @ApplicationScoped
    PruneService pruneService(EventStore store, ContainerEngine engine) {
        return new PruneService(store, engine, leases(store));
    }

    @Produces
    @ApplicationScoped
    WarmService warmService(EventStore store, ContainerEngine engine) {
        return new WarmService(store, engine, leases(store));
    }

    /** This machine's project leases; a run tells its own progress (the command's stderr) whom they wait for. */
    public static ProjectLeases leases(EventStore store) {
        return new ProjectLeases(store.dataSource(), store.machine().id(), Duration.ofMinutes(30), line -> { });
    }
}
