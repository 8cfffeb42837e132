package dev.lok8s.lo.cache;

import dev.lok8s.lo.plan.PlanSettings;
import dev.lok8s.lo.plan.Planner;
import dev.lok8s.lo.plan.RegistryPlan;
import dev.lok8s.lo.spec.SpecBuilder;
import dev.lok8s.lo.spec.SpecParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WarmTargetsTest {

    @TempDir
    Path dir;

    RegistryPlan plan() throws IOException {
        Path spec = SpecBuilder.named("w").networkCidr("10.213.77.0/24")
                .mirrors("io-docker", "https://registry-1.docker.io",
                        "io-quay", "https://quay.io",
                        "corp", "https://registry.corp.example:8443")
                .writeProject(dir, "w.test");
        return Planner.plan(new SpecParser().parse(spec, "w.test"), PlanSettings.of(spec.getParent()));
    }

    @Test
    void eachImageGoesToTheMirrorOfItsRegistry() throws IOException {
        RegistryPlan plan = plan();
        var targets = WarmTargets.resolve(plan, List.of("nginx:1.27", "quay.io/org/app:1",
                "registry.corp.example:8443/team/tool:2", "docker.io/library/nginx:1.27"));
        assertThat(targets).extracting(t -> t.image().toString() + " -> " + t.mirror().name()).containsExactly(
                "docker.io/library/nginx:1.27 -> io-docker",
                "quay.io/org/app:1 -> io-quay",
                "registry.corp.example:8443/team/tool:2 -> corp");
    }

    @Test
    void anImageNoMirrorServesIsRefusedNamingTheMirrors() throws IOException {
        RegistryPlan plan = plan();
        assertThatThrownBy(() -> WarmTargets.resolve(plan, List.of("ghcr.io/org/app:1")))
                .hasMessage("no mirror of ghcr.io in project w (mirrors: docker.io, quay.io, registry.corp.example:8443): "
                        + "add one under spec.registries.mirrors to warm ghcr.io/org/app:1");
        assertThatThrownBy(() -> WarmTargets.resolve(plan, List.of("lok8s.local/app:1")))
                .hasMessageContaining("build registry, not behind a mirror");
    }

    @Test
    void inputsAreBounded() throws IOException {
        RegistryPlan plan = plan();
        assertThatThrownBy(() -> WarmTargets.resolve(plan, List.of())).hasMessageContaining("no images given");
        assertThatThrownBy(() -> WarmTargets.resolve(plan, Collections.nCopies(201, "nginx")))
                .hasMessageContaining("at most 200");
    }

    @Test
    void anImageListSkipsCommentsAndBlankLinesAndNamesABadLine() {
        assertThat(WarmTargets.readList("# base images\nnginx:1.27\n\n  quay.io/org/app:1  # the app\n", "images.txt"))
                .containsExactly("nginx:1.27", "quay.io/org/app:1");
        assertThatThrownBy(() -> WarmTargets.readList("nginx\nbusybox alpine\n", "images.txt"))
                .hasMessage("images.txt line 2: one image reference per line, got 'busybox alpine'");
    }

    @Test
    void aListLinesControlCharactersAreEscapedInTheMessage() {
        assertThatThrownBy(() -> WarmTargets.readList("nginx\n\u001b]0;owned\u0007\u001b[2J busybox\n", "images.txt"))
                .hasMessage("images.txt line 2: one image reference per line, got "
                        + "'\\u001b]0;owned\\u0007\\u001b[2J busybox'");
        assertThatThrownBy(() -> WarmTargets.readList("nginx\nbusy\u001b[2Jbox\n", "images.txt"))
                .hasMessageStartingWith("images.txt line 2: image reference 'busy\\u001b[2Jbox' has an invalid")
                .matches(e -> e.getMessage().chars().noneMatch(c -> c < 0x20), "no control characters");
    }
}
