package dev.lok8s.lo.cache;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import java.net.http.HttpClient;
import java.security.GeneralSecurityException;
import java.time.Duration;

/** HTTP clients for talking to registries from the host. */
public final class RegistryClients {

    private RegistryClients() {
    }

    /**
     * A client for registries served over plain HTTP. It is given a TLS context that trusts nothing
     * (and is never used): without one, the JDK loads and parses its whole trust store when the client
     * is built, 0.3-0.9 s of a warm on a loaded machine.
     */
    public static HttpClient plain() {
        try {
            SSLContext none = SSLContext.getInstance("TLS");
            none.init(null, new TrustManager[0], null);
            return HttpClient.newBuilder().connectTimeout(Duration.ofMillis(800)).sslContext(none).build();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot make a TLS context: " + e.getMessage(), e);
        }
    }
}
