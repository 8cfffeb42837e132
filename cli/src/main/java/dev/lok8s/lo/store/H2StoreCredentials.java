package dev.lok8s.lo.store;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.Optional;

/**
 * The H2 store of this process's state directory ({@code lo.state-dir} / {@code LO_STATE_DIR}).
 * Nothing is read or made until a command uses the store: {@link H2Store#prepare} makes the
 * directory and the password file then, and {@link StorePool#h2} opens the pool with them.
 */
@ApplicationScoped
public class H2StoreCredentials {

    @ConfigProperty(name = "lo.state-dir")
    Optional<String> stateDir;

    /** The store of this process's state directory. */
    public H2Store store() {
        return H2Store.at(StoreLocation.stateDir(stateDir.orElse(null), System::getenv));
    }
}
