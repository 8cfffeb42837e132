package dev.lok8s.lo.cache;

import dev.lok8s.lo.plan.PlannedRegistry;
import dev.lok8s.lo.plan.RegistryPlan;
import dev.lok8s.lo.spec.SafeText;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Which mirror serves an image: the one whose registry host ({@code docker.io}, {@code quay.io}, or
 * the upstream's own host) is the image's. Also the input bounds of {@code lo registry warm}. Pure.
 */
public final class WarmTargets {

    /** Images per warm. */
    public static final int MAX_IMAGES = 200;
    /** Size of an image list file. */
    public static final int MAX_FILE_BYTES = 64 * 1024;

    /** An image and the mirror that serves it. */
    public record Target(ImageName image, PlannedRegistry mirror) {
    }

    private WarmTargets() {
    }

    /**
     * Reads an image list: one reference per line; blank lines and {@code #} comments are skipped.
     * Throws {@link IllegalArgumentException} naming the line of a bad one, its text escaped and cut.
     */
    public static List<String> readList(String text, String source) {
        List<String> images = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            int hash = line.indexOf('#');
            String ref = (hash >= 0 ? line.substring(0, hash) : line).strip();
            if (ref.isEmpty()) {
                continue;
            }
            if (ref.contains(" ") || ref.contains("\t")) {
                throw new IllegalArgumentException(SafeText.shown(source) + " line " + (i + 1)
                        + ": one image reference per line, got '" + SafeText.shown(ref) + "'");
            }
            try {
                ImageName.parse(ref);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(SafeText.shown(source) + " line " + (i + 1) + ": " + e.getMessage());
            }
            images.add(ref);
        }
        return images;
    }

    /**
     * Parses the references and finds each one's mirror; throws {@link IllegalArgumentException} with
     * a one-line reason for the first that is invalid or that no mirror of the plan serves.
     */
    public static List<Target> resolve(RegistryPlan plan, List<String> references) {
        if (references.isEmpty()) {
            throw new IllegalArgumentException("no images given: lo registry warm [DOMAIN] IMAGE... or -f FILE");
        }
        if (references.size() > MAX_IMAGES) {
            throw new IllegalArgumentException(references.size() + " images given, at most " + MAX_IMAGES
                    + " per warm: split the list");
        }
        Set<String> seen = new LinkedHashSet<>();
        List<Target> targets = new ArrayList<>();
        for (String reference : references) {
            ImageName image = ImageName.parse(reference);
            if (!seen.add(image.toString())) {
                continue;
            }
            targets.add(new Target(image, mirrorFor(plan, image)));
        }
        return targets;
    }

    static PlannedRegistry mirrorFor(RegistryPlan plan, ImageName image) {
        for (PlannedRegistry registry : plan.registries()) {
            if (registry.hostname().equals(image.registry())) {
                if (!registry.isMirror()) {
                    throw new IllegalArgumentException("image " + image + " is in the project's " + registry.name()
                            + " registry, not behind a mirror: there is nothing to warm");
                }
                return registry;
            }
        }
        List<String> hosts = plan.mirrors().stream().map(PlannedRegistry::hostname).toList();
        throw new IllegalArgumentException("no mirror of " + image.registry() + " in project " + plan.project()
                + " (mirrors: " + (hosts.isEmpty() ? "none" : String.join(", ", hosts)) + "): add one under "
                + "spec.registries.mirrors to warm " + image);
    }
}
