package dev.lok8s.lo.api;

import dev.lok8s.lo.projection.ProjectNetworks;
import dev.lok8s.lo.projection.SubnetMismatchReport;
import dev.lok8s.lo.projection.SubnetMismatches;
import dev.lok8s.lo.store.EventStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** CDI wiring of the projection queries the API adds (the store's own are in StoreBeans). */
@ApplicationScoped
public class ApiBeans {

    @Produces
    @Singleton
    ProjectNetworks projectNetworks(EventStore store) {
        return new ProjectNetworks(store.dataSource(), store.machine().id());
    }

    @Produces
    @Singleton
    SubnetMismatchReport subnetMismatchReport(EventStore store, SubnetMismatches mismatches) {
        return new SubnetMismatchReport(store, mismatches);
    }
}
