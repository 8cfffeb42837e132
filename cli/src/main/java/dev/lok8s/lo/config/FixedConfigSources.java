package dev.lok8s.lo.config;

import io.quarkus.runtime.annotations.StaticInitSafe;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSourceLoader;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.SmallRyeConfigBuilderCustomizer;
import io.smallrye.config.SysPropConfigSource;

/**
 * Keeps lo's configuration independent of the directory it runs in. SmallRye's default sources
 * include {@code .env} and {@code config/application.properties} under the current directory:
 * a project's own {@code .env} (QUARKUS_LOG_LEVEL=DEBUG, a datasource URL) would silently change
 * what lo does. This customizer runs after Quarkus' own and replaces the default sources with
 * the same ones minus those two files: system properties (400), the environment (300), the
 * application.properties inside the jar (250) and META-INF/microprofile-config.properties (100).
 * Sources registered elsewhere (the store location, Quarkus' generated defaults) are untouched.
 * Registered in META-INF/services; {@link StaticInitSafe} so the static-init configuration, which
 * sets up logging first, gets it too.
 */
@StaticInitSafe
public class FixedConfigSources implements SmallRyeConfigBuilderCustomizer {

    @Override
    public void configBuilder(SmallRyeConfigBuilder builder) {
        builder.setAddDefaultSources(false).setAddSystemSources(false).setAddPropertiesSources(false);
        ClassLoader loader = builder.getClassLoader() != null ? builder.getClassLoader()
                : Thread.currentThread().getContextClassLoader();
        builder.withSources(new SysPropConfigSource(), new Environment());
        builder.withSources(PropertiesConfigSourceLoader.inClassPath("application.properties", 250, loader));
        builder.withSources(PropertiesConfigSourceLoader.inClassPath("META-INF/microprofile-config.properties", 100,
                loader));
    }

    @Override
    public int priority() {
        // after every other customizer, Quarkus' RuntimeConfigBuilder (which asks for the defaults) included
        return Integer.MAX_VALUE;
    }

    /** The process environment at its usual ordinal (300); the no-argument constructor is protected. */
    private static final class Environment extends EnvConfigSource {
        Environment() {
            super();
        }
    }
}
