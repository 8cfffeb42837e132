package dev.lok8s.lo.spec;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds a project's {@code cluster.lok8s.yaml}: {@code -f FILE}, else {@code clusters/<domain>/cluster.lok8s.yaml}. */
public final class SpecLocator {

    public static final String FILE_NAME = "cluster.lok8s.yaml";
    public static final String CLUSTERS_DIR = "clusters";

    /**
     * @param workingDir   where lo runs; a relative {@code explicitFile} is resolved against it
     * @param domain       the DOMAIN argument, null or blank for {@code lok8s.dev}
     * @param explicitFile {@code -f FILE}, or null
     * @return the spec file, which exists
     * @throws SpecInvalidException with one error naming the path tried and the fix
     */
    public Path locate(Path workingDir, String domain, Path explicitFile) {
        String effectiveDomain = domain == null || domain.isBlank() ? ClusterSpec.DEFAULT_DOMAIN : domain;
        if (!ProjectSlot.isDnsName(effectiveDomain)) {
            throw notFound("domain '" + effectiveDomain + "' is not a plain DNS name; pass a lower-case name such as "
                    + ClusterSpec.DEFAULT_DOMAIN + " or 50." + ClusterSpec.DEFAULT_DOMAIN);
        }
        if (explicitFile != null) {
            Path file = workingDir.resolve(explicitFile).normalize();
            String other = SpecParser.notRegular(file);
            if (other != null) {
                throw notFound(file + " (given with -f) is " + other + ", not a regular file; pass the path of a"
                        + " cluster.lok8s.yaml file");
            }
            if (!Files.isRegularFile(file)) {
                throw notFound("no spec file at " + file + " (given with -f); check the path");
            }
            return file;
        }
        Path file = workingDir.resolve(CLUSTERS_DIR).resolve(effectiveDomain).resolve(FILE_NAME).normalize();
        String other = SpecParser.notRegular(file);
        if (other != null) {
            throw notFound("the spec for " + effectiveDomain + " at " + file + " is " + other + ", not a regular"
                    + " file; make it a cluster.lok8s.yaml file");
        }
        if (!Files.isRegularFile(file)) {
            throw notFound("no spec for " + effectiveDomain + " at " + file
                    + "; run lo from the project root, or pass -f FILE");
        }
        return file;
    }

    private static SpecInvalidException notFound(String message) {
        return new SpecInvalidException(null, new SpecError("", message));
    }
}
