package dev.lok8s.lo.store;

import io.quarkus.credentials.CredentialsProvider;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.Map;
import java.util.Optional;

/**
 * The H2 store's password for Agroal, read when the pool opens a connection (not at start-up):
 * {@link H2Store#prepare} makes the directory and the password file on first use.
 */
@ApplicationScoped
@Named(H2StoreCredentials.NAME)
public class H2StoreCredentials implements CredentialsProvider {

    static final String NAME = "lo-h2-store";

    @ConfigProperty(name = "lo.state-dir")
    Optional<String> stateDir;

    /** The store of this process's state directory. */
    public H2Store store() {
        return H2Store.at(StoreLocation.stateDir(stateDir.orElse(null), System::getenv));
    }

    @Override
    public Map<String, String> getCredentials(String credentialsProviderName) {
        return Map.of(USER_PROPERTY_NAME, H2Store.USER, PASSWORD_PROPERTY_NAME, store().prepare());
    }
}
