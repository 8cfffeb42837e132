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

    /**
     * The domain's plan; a domain without a usable spec is a bad {@code domain} parameter (400), whose
     * message names the spec relative to the project directory: where the server keeps its files is
     * not the client's business.
     */
    public RegistryPlan plan(String domain) {
        Path root = Path.of(config.serve().projectDir().orElse("")).toAbsolutePath();
        try {
            return ProjectLoader.load(root, domain, null, config).plan();
        } catch (SpecInvalidException e) {
            throw new BadParameterException("domain",
                    relativeTo(root, e.getMessage().lines().findFirst().orElse("invalid spec")));
        }
    }

    /** {@code text} with every mention of {@code root} (and what is under it) made relative to it. */
    static String relativeTo(Path root, String text) {
        if (root.getNameCount() == 0) {
            return text;  // the file system's root: every absolute path is under it, nothing to shorten
        }
        String prefix = root.toString();
        String withSlash = prefix.endsWith("/") ? prefix : prefix + "/";
        return text.replace(withSlash, "").replace(prefix, ".");
    }
}
