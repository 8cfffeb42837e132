package dev.lok8s.lo.spec;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static dev.lok8s.lo.spec.SpecBuilder.errorAt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code spec.registries.build.hostPort} and {@code spec.registries.cache.hostPort}. */
class HostPortSpecTest {

    @TempDir
    Path dir;

    SpecBuilder.SpecFiles fixture;

    @BeforeEach
    void setUp() {
        fixture = SpecBuilder.in(dir);
    }

    @Test
    void portsAreOptionalAndReadWhenGiven() {
        RegistriesSpec none = SpecBuilder.defaultCluster().spec().registries();
        assertThat(none.buildHostPort()).isNull();
        assertThat(none.cacheHostPort()).isNull();
        RegistriesSpec given = SpecBuilder.defaultCluster().hostPorts(5005, 5006).spec().registries();
        assertThat(given.buildHostPort()).isEqualTo(5005);
        assertThat(given.cacheHostPort()).isEqualTo(5006);
        assertThat(fixture.parse(fixture.withSpec("registries: {build: {hostPort: 65535}, cache: {hostPort: 1024}}"))
                .registries()).extracting(RegistriesSpec::buildHostPort, RegistriesSpec::cacheHostPort)
                .containsExactly(65535, 1024);
    }

    @Test
    void aPortOutOfRangeIsRefusedNamingTheFieldAndTheRange() {
        assertThat(errorAt(fixture.errorsOf("registries: {build: {hostPort: 80}}"),
                "spec.registries.build.hostPort").message())
                .isEqualTo("is 80; expected a port from 1024 to 65535 (lower ones belong to system services), or "
                        + "leave it out for the one the slot gives");
        assertThat(errorAt(fixture.errorsOf("registries: {cache: {hostPort: 65536}}"),
                "spec.registries.cache.hostPort").message()).contains("is 65536", "1024 to 65535");
        assertThat(errorAt(fixture.errorsOf("registries: {cache: {hostPort: -1}}"),
                "spec.registries.cache.hostPort").message()).contains("is -1");
        assertThat(errorAt(fixture.errorsOf("registries: {build: {hostPort: \"5000\"}}"),
                "spec.registries.build.hostPort").message()).contains("whole number", "the string '5000'");
        assertThat(errorAt(fixture.errorsOf("registries: {build: 5000}"),
                "spec.registries.build").message()).contains("expected a mapping (hostPort)");
    }

    @Test
    void buildAndCacheOnTheSamePortAreRefused() {
        assertThat(errorAt(fixture.errorsOf("registries: {build: {hostPort: 5005}, cache: {hostPort: 5005}}"),
                "spec.registries.cache.hostPort").message())
                .isEqualTo("5005 is also spec.registries.build.hostPort; build and cache need a port each: give "
                        + "cache another, or leave it out for the one its slot gives");
    }

    @Test
    void aSpecBuiltInCodeKeepsTheSameRules() {
        RegistriesSpec r = SpecBuilder.defaultCluster().spec().registries();
        assertThatThrownBy(() -> new RegistriesSpec(r.shared(), r.sharedNetwork(), r.mirrors(), r.tls(), r.image(),
                80, null)).hasMessageContaining("host port 80 is outside 1024..65535");
        assertThatThrownBy(() -> new RegistriesSpec(r.shared(), r.sharedNetwork(), r.mirrors(), r.tls(), r.image(),
                5005, 5005)).hasMessageContaining("cannot share host port 5005");
    }
}
