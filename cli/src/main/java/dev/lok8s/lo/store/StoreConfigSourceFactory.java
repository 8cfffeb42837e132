package dev.lok8s.lo.store;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import org.eclipse.microprofile.config.spi.ConfigSource;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Computes the default datasource URL before the datasource starts (a ConfigSource is the only
 * place early enough). Its ordinal is below application.properties (250), so any
 * {@code quarkus.datasource.*} set there, in the environment or as a system property wins.
 * When {@code quarkus.datasource.postgresql.jdbc.url} is set, the H2 datasource is switched off
 * and the store runs on PostgreSQL. Registered in META-INF/services. It also binds H2's server to
 * loopback, before anything loads the driver.
 */
public class StoreConfigSourceFactory implements ConfigSourceFactory {

    static final int ORDINAL = 245;

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        Map<String, String> props = new HashMap<>();
        if (value(context, "quarkus.datasource.postgresql.jdbc.url") != null) {
            props.put("quarkus.datasource.active", "false");
        } else {
            String dir = value(context, "lo.state-dir");
            H2Store.askForLoopback();
            String url;
            try {
                url = StoreLocation.h2Url(StoreLocation.stateDir(dir, System::getenv));
            } catch (IllegalArgumentException e) {
                // Never opened: StoreBeans reports the bad directory in one line when a command uses the store.
                url = "jdbc:h2:mem:lo-state-dir-unusable;IFEXISTS=TRUE";
            }
            props.put("quarkus.datasource.jdbc.url", url);
            // lo's non-admin user; the password comes from the state directory when the first
            // connection is made (H2StoreCredentials), so commands that never use the store never read it.
            props.put("quarkus.datasource.username", H2Store.USER);
            props.put("quarkus.datasource.credentials-provider", H2StoreCredentials.NAME);
            props.put("quarkus.datasource.credentials-provider-name", H2StoreCredentials.NAME);
        }
        return List.of(new PropertiesConfigSource(props, "lo-store-location", ORDINAL));
    }

    @Override
    public OptionalInt getPriority() {
        return OptionalInt.of(ORDINAL);
    }

    private static String value(ConfigSourceContext context, String name) {
        ConfigValue v = context.getValue(name);
        return v == null || v.getValue() == null || v.getValue().isBlank() ? null : v.getValue();
    }
}
