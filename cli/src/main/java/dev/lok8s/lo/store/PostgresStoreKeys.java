package dev.lok8s.lo.store;

import io.quarkus.runtime.annotations.StaticInitSafe;
import io.smallrye.config.ConfigSourceInterceptor;
import io.smallrye.config.ConfigSourceInterceptorContext;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.SmallRyeConfigBuilderCustomizer;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * The PostgreSQL store's keys ({@link PostgresStoreConfig}) sit in Quarkus's namespace for
 * compatibility, but no Quarkus extension reads them any more: lo does. Quarkus reports every
 * {@code quarkus.*} name it finds in the configuration that none of its extensions declares
 * ("Unrecognized configuration key ... it will be ignored"), which for these three would be false
 * (given as {@code -D...}; environment variables are not listed by name). So they are left out of
 * the list of names the configuration enumerates; reading them by name is unchanged. Registered in
 * META-INF/services.
 */
@StaticInitSafe
public class PostgresStoreKeys implements SmallRyeConfigBuilderCustomizer {

    static final Set<String> KEYS = Set.of("quarkus.datasource.postgresql.jdbc.url",
            "quarkus.datasource.postgresql.username", "quarkus.datasource.postgresql.password");

    @Override
    public void configBuilder(SmallRyeConfigBuilder builder) {
        builder.withInterceptors(new Unlisted());
    }

    static final class Unlisted implements ConfigSourceInterceptor {
        @Override
        public ConfigValue getValue(ConfigSourceInterceptorContext context, String name) {
            return context.proceed(name);
        }

        @Override
        public Iterator<String> iterateNames(ConfigSourceInterceptorContext context) {
            List<String> names = new ArrayList<>();
            context.iterateNames().forEachRemaining(name -> {
                if (!KEYS.contains(name)) {
                    names.add(name);
                }
            });
            return names.iterator();
        }
    }
}
