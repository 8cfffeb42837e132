package dev.lok8s.lo.docker;

import com.github.dockerjava.core.DefaultDockerClientConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.reflect.Method;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Docker host found without docker-java's configuration loader: given only where that loader
 * would find the same host (checked against the loader itself), empty wherever it would read more.
 */
class PlainDockerHostTest {

    @TempDir
    Path home;

    private Properties system() {
        Properties p = new Properties();
        p.setProperty("user.home", home.toString());
        return p;
    }

    @Test
    void nothing_set_is_the_default_socket_as_docker_java_says() throws Exception {
        Optional<URI> host = PlainDockerHost.of(Map.of(), system(), home);

        assertThat(host).contains(URI.create("unix:///var/run/docker.sock"));
        assertThat(dockerJava(Map.of(), system())).isEqualTo(host.get());
    }

    @Test
    void a_unix_docker_host_is_taken_as_docker_java_takes_it() throws Exception {
        Map<String, String> env = Map.of("DOCKER_HOST", "unix:///run/user/1000/docker.sock");

        Optional<URI> host = PlainDockerHost.of(env, system(), home);

        assertThat(host).contains(URI.create("unix:///run/user/1000/docker.sock"));
        assertThat(dockerJava(env, system())).isEqualTo(host.get());
    }

    @Test
    void a_config_json_without_a_context_is_no_reason_for_the_loader() throws Exception {
        Files.createDirectories(home.resolve(".docker"));
        Files.writeString(home.resolve(".docker/config.json"), "{\"auths\": {\"ghcr.io\": {\"auth\": \"eDp5\"}}}");

        Optional<URI> host = PlainDockerHost.of(Map.of(), system(), home);

        assertThat(host).contains(URI.create(PlainDockerHost.DEFAULT_HOST));
        assertThat(dockerJava(Map.of(), system())).isEqualTo(host.get());
    }

    @Test
    void a_current_context_leaves_the_host_to_docker_java() throws Exception {
        Files.createDirectories(home.resolve(".docker"));
        Files.writeString(home.resolve(".docker/config.json"), "{\"currentContext\": \"remote\"}");
        assertThat(PlainDockerHost.of(Map.of(), system(), home)).as("in ~/.docker").isEmpty();

        Path other = Files.createDirectories(home.resolve("elsewhere"));
        Files.writeString(other.resolve("config.json"), "{\"currentContext\": \"remote\"}");
        assertThat(PlainDockerHost.of(Map.of("DOCKER_CONFIG", other.toString()), system(), home))
                .as("in $DOCKER_CONFIG").isEmpty();
        assertThat(PlainDockerHost.of(Map.of("DOCKER_CONTEXT", "remote"), system(), home)).as("DOCKER_CONTEXT").isEmpty();
        assertThat(PlainDockerHost.of(Map.of("DOCKER_HOST", "unix:///var/run/docker.sock"), system(), home))
                .as("DOCKER_HOST set: docker-java does not look at the context")
                .contains(URI.create("unix:///var/run/docker.sock"));
    }

    @Test
    void docker_javas_own_settings_leave_the_host_to_it() throws Exception {
        Properties withHost = system();
        withHost.setProperty("DOCKER_HOST", "unix:///elsewhere.sock");
        assertThat(PlainDockerHost.of(Map.of(), withHost, home)).as("a system property").isEmpty();
        Properties withVersion = system();
        withVersion.setProperty("api.version", "1.41");
        assertThat(PlainDockerHost.of(Map.of(), withVersion, home)).as("any of its keys").isEmpty();

        Files.writeString(home.resolve(".docker-java.properties"), "DOCKER_HOST=unix:///elsewhere.sock\n");
        assertThat(PlainDockerHost.of(Map.of(), system(), home)).as("~/.docker-java.properties").isEmpty();
    }

    @Test
    void a_tcp_host_or_a_bad_one_leaves_the_host_to_docker_java() {
        assertThat(PlainDockerHost.of(Map.of("DOCKER_HOST", "tcp://10.0.0.1:2376"), system(), home)).as("TLS may matter").isEmpty();
        assertThat(PlainDockerHost.of(Map.of("DOCKER_HOST", "unix://"), system(), home)).as("no path").isEmpty();
        assertThat(PlainDockerHost.of(Map.of("DOCKER_HOST", "not a uri"), system(), home)).as("its error").isEmpty();
    }

    @Test
    void a_config_json_too_large_to_look_into_leaves_the_host_to_docker_java() throws Exception {
        Files.createDirectories(home.resolve(".docker"));
        Files.write(home.resolve(".docker/config.json"), new byte[PlainDockerHost.MAX_CONFIG_BYTES + 1]);

        assertThat(PlainDockerHost.of(Map.of(), system(), home)).isEmpty();
    }

    /** docker-java's own loader on the same environment and properties (its package-private entry). */
    private static URI dockerJava(Map<String, String> env, Properties system) throws Exception {
        Method m = DefaultDockerClientConfig.class.getDeclaredMethod("createDefaultConfigBuilder", Map.class, Properties.class);
        m.setAccessible(true);
        return ((DefaultDockerClientConfig.Builder) m.invoke(null, env, system)).build().getDockerHost();
    }
}
