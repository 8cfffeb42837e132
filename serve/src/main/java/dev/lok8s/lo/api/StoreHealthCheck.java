package dev.lok8s.lo.api;

import dev.lok8s.lo.store.EventStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready when the event store answers: every endpoint reads it. */
@Readiness
@ApplicationScoped
public class StoreHealthCheck implements HealthCheck {

    @Inject
    EventStore store;

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("event-store");
        try {
            return response.up().withData("head", store.headPosition()).build();
        } catch (RuntimeException e) {
            return response.down().withData("error", String.valueOf(e.getMessage())).build();
        }
    }
}
