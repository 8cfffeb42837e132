package dev.lok8s.lo.cache;

import dev.lok8s.lo.engine.ContainerInfo;
import dev.lok8s.lo.plan.Labels;
import dev.lok8s.lo.plan.MirrorMode;
import dev.lok8s.lo.plan.PlannedRegistry;

import java.util.Optional;

/**
 * Why an image could not be warmed through its mirror, as the mirror's container explains it: a mirror
 * that did not answer and is stopped or missing must be started; an offline mirror (serving only its
 * cache, its upstream away) cannot fetch what it lacks. Otherwise the registry's own failure stands. Pure:
 * the service asks the engine for the container only once an image failed, so a warm that goes well costs
 * no engine call.
 */
public final class WarmMirrorCheck {

    private WarmMirrorCheck() {
    }

    /**
     * @param failure   how the image failed (status 0: the mirror did not answer)
     * @param container the mirror's container, empty when there is none; null when the engine could not say
     * @return the failure to report: {@code failure} itself when the container explains nothing more
     */
    public static RegistryHttp.RegistryException explain(RegistryHttp.RegistryException failure,
                                                         PlannedRegistry mirror, ImageName image, String domain,
                                                         Optional<ContainerInfo> container) {
        if (container == null) {
            return failure;
        }
        if (failure.status() == 0 && (container.isEmpty() || !container.get().running())) {
            return new RegistryHttp.RegistryException(0, "mirror " + mirror.container() + " is "
                    + container.map(ContainerInfo::state).orElse("missing") + ": start it with lo registry up "
                    + domain);
        }
        if (offline(container)) {
            return new RegistryHttp.RegistryException(failure.status(), "mirror " + mirror.container() + " is "
                    + "offline (its upstream " + mirror.upstream() + " did not answer): it serves only its cache, "
                    + "which cannot give " + image + " (" + failure.getMessage() + "); warm it once the upstream "
                    + "answers and lo registry up " + domain + " has switched the mirror back");
        }
        return failure;
    }

    private static boolean offline(Optional<ContainerInfo> container) {
        return container.isPresent()
                && MirrorMode.ofLabel(container.get().labels().get(Labels.MIRROR_MODE)) == MirrorMode.OFFLINE;
    }
}
