package dev.lok8s.lo.api;

import dev.lok8s.lo.projection.ProjectNetworks;
import dev.lok8s.lo.projection.ReadModels;
import dev.lok8s.lo.projection.SubnetMismatchReport;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** CDI wiring of the projection queries the API adds (the command line's are in wiring.ReadModelBeans). */
@ApplicationScoped
public class ApiBeans {

    @Produces
    @Singleton
    ProjectNetworks projectNetworks(ReadModels readModels) {
        return readModels.projectNetworks();
    }

    @Produces
    @Singleton
    SubnetMismatchReport subnetMismatchReport(ReadModels readModels) {
        return readModels.subnetMismatchReport();
    }
}
