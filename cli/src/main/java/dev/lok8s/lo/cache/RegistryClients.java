package dev.lok8s.lo.cache;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import java.net.http.HttpClient;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.function.Supplier;

/** HTTP clients for talking to registries from the host. */
public final class RegistryClients {

    /** How long a connection to a registry of the machine may take (loopback or a local bridge). */
    public static final Duration CONNECT_TIMEOUT = Duration.ofMillis(800);

    private RegistryClients() {
    }

    /**
     * A client built on first use and shared from then on: a warm through plain-HTTP mirrors reads them
     * over lo's own connections ({@link dev.lok8s.lo.http.Http1Exchange}) and never needs one.
     */
    public static Supplier<HttpClient> lazy(Supplier<HttpClient> build) {
        return new Supplier<>() {
            private HttpClient client;

            @Override
            public synchronized HttpClient get() {
                if (client == null) {
                    client = build.get();
                }
                return client;
            }
        };
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
            return HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).sslContext(none).build();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot make a TLS context: " + e.getMessage(), e);
        }
    }
}
