package dev.lok8s.lo.api;

import dev.lok8s.lo.engine.ContainerEngine;
import io.smallrye.health.api.Wellness;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;

/**
 * Whether the Docker Engine answers. A wellness check, not readiness: the API answers from the
 * event store and stays useful while Docker is down, but /q/health shows it DOWN.
 */
@Wellness
@ApplicationScoped
public class DockerHealthCheck implements HealthCheck {

    @Inject
    ContainerEngine engine;

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("docker");
        try {
            engine.ping();
            return response.up().withData("endpoint", engine.endpoint()).build();
        } catch (RuntimeException e) {
            return response.down().withData("error", String.valueOf(e.getMessage())).build();
        }
    }
}
