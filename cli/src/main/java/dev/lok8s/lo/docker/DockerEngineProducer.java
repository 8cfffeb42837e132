package dev.lok8s.lo.docker;

import dev.lok8s.lo.engine.ContainerEngine;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * Makes the application's {@link ContainerEngine}. Application scope puts a client proxy in
 * front of it, so the Docker client is built on the first call, not at start-up: commands
 * that never touch the engine never pay for it.
 */
@Singleton
public class DockerEngineProducer {

    @Produces
    @ApplicationScoped
    ContainerEngine containerEngine() {
        return DockerEngine.fromEnvironment();
    }

    void close(@Disposes ContainerEngine engine) {
        if (engine instanceof DockerEngine docker) {
            docker.close();
        }
    }
}
