package dev.lok8s.lo.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import static dev.lok8s.lo.it.TestDocker.containers;
import static dev.lok8s.lo.it.TestDocker.docker;
import static dev.lok8s.lo.it.TestDocker.networks;
import static dev.lok8s.lo.it.TestDocker.volumes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * {@link DockerCleanup} on the real Docker Engine: it removes exactly what carries its test id (containers by
 * {@code dev.lok8s.test} or {@code dev.lok8s.test.id}, then volumes and networks), and leaves another test's
 * resources alone. Names {@code lotest-dc-*}, subnet 10.213.196.0/24; nothing is started.
 */
class DockerCleanupIT {

    static final String ID = "dc";
    static final String OTHER = "dc-other";

    @AfterAll
    static void removeTheOtherTestsResources() {
        TestDocker.cleanUp(OTHER);
        TestDocker.cleanUp(ID);
    }

    @Test
    void removesOnlyWhatCarriesItsTestId() {
        docker("network", "create", "--subnet", "10.213.196.0/24", "--label", "dev.lok8s.test=" + ID, "lotest-dc-net");
        docker("volume", "create", "--label", "dev.lok8s.test=" + ID, "lotest-dc-vol");
        docker("create", "--name", "lotest-dc-c", "--label", "dev.lok8s.test=" + ID, "--network", "lotest-dc-net",
                "-v", "lotest-dc-vol:/data", LoCli.REGISTRY_IMAGE);
        docker("create", "--name", "lotest-dc-node", "--label", "dev.lok8s.test.id=" + ID, "--network", "lotest-dc-net",
                LoCli.REGISTRY_IMAGE);
        docker("create", "--name", "lotest-dc-other", "--label", "dev.lok8s.test=" + OTHER, LoCli.REGISTRY_IMAGE);

        DockerCleanup.forTest(ID).clean();

        assertThat(containers("dev.lok8s.test=" + ID)).as("containers of the test").isEmpty();
        assertThat(containers("dev.lok8s.test.id=" + ID)).as("stand-in kind nodes of the test").isEmpty();
        assertThat(volumes("dev.lok8s.test=" + ID)).as("volumes of the test").isEmpty();
        assertThat(networks("dev.lok8s.test=" + ID)).as("networks of the test").isEmpty();
        assertThat(containers("dev.lok8s.test=" + OTHER)).as("another test's container").containsExactly("lotest-dc-other");
    }

    @Test
    void refusesABlankIdThatWouldSelectEveryTestsResources() {
        assertThatIllegalArgumentException().isThrownBy(DockerCleanup::forTest);
        assertThatIllegalArgumentException().isThrownBy(() -> DockerCleanup.forTest(" "));
    }
}
