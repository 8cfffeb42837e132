package dev.lok8s.lo.api;

import dev.lok8s.lo.config.LoConfig;
import dev.lok8s.lo.config.ProjectLoader;
import dev.lok8s.lo.plan.RegistryPlan;
import dev.lok8s.lo.spec.SpecInvalidException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.nio.file.Path;

/**
 * The projects {@code lo serve} can plan: {@code clusters/<domain>/cluster.lok8s.yaml} under
 * {@code lo.serve.project-dir} (default: the directory it runs in), loaded as the command line loads them.
 */
@ApplicationScoped
public class ServedProjects {

    @Inject
    LoConfig config;

    /** The domain's plan; a domain without a usable spec is a bad {@code domain} parameter (400). */
    public RegistryPlan plan(String domain) {
        try {
            Path root = Path.of(config.serve().projectDir().orElse("")).toAbsolutePath();
            return ProjectLoader.load(root, domain, null, config).plan();
        } catch (SpecInvalidException e) {
            throw new BadParameterException("domain", e.getMessage().lines().findFirst().orElse("invalid spec"));
        }
    }
}
