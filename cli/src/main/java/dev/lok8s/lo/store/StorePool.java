package dev.lok8s.lo.store;

import io.agroal.api.AgroalDataSource;
import io.agroal.api.AgroalDataSourceListener;
import io.agroal.api.configuration.AgroalConnectionPoolConfiguration.ConnectionValidator;
import io.agroal.api.configuration.supplier.AgroalDataSourceConfigurationSupplier;
import io.agroal.api.exceptionsorter.PostgreSQLExceptionSorter;
import io.agroal.api.security.NamePrincipal;
import io.agroal.api.security.SimplePassword;
import io.agroal.pool.DataSource;
import org.jboss.logging.Logger;
import org.postgresql.Driver;

import java.time.Duration;
import java.util.Optional;

/**
 * The store's connection pool (Agroal), made by lo itself when a command first uses the store,
 * not by a Quarkus datasource extension at every start. One pool per process, with the settings
 * lo always had:
 * <ul>
 * <li>up to {@value #MAX_SIZE} connections, none kept open before the first use; an idle
 * connection stays pooled for {@link #IDLE_REMOVAL}, so an H2 file stays open in the process that
 * uses it (the AUTO_SERVER hand-over happens when a process exits, not between two calls);</li>
 * <li>waiting for a connection gives up after {@link #ACQUISITION_TIMEOUT} (opening the H2 file
 * while other processes hand it over can take seconds on a loaded machine; the store retries the
 * rest, {@link RetryPolicy});</li>
 * <li>every connection is validated when it is borrowed: once H2 has closed the database (a write
 * failed on a full disk), lo serve gets a new connection, which reopens the file, not a dead one
 * forever ({@link StoreRecovery} flushes the pool);</li>
 * <li>on PostgreSQL, a connection whose error says the connection is gone (SQL state 08...) is
 * dropped instead of returned to the pool.</li>
 * </ul>
 * The pool's own warnings go to the log category {@code io.agroal.pool} (at ERROR for the command
 * line, WARN for lo serve).
 */
public final class StorePool {

    static final int MAX_SIZE = 20;
    static final Duration ACQUISITION_TIMEOUT = Duration.ofSeconds(60);
    static final Duration BACKGROUND_VALIDATION = Duration.ofMinutes(2);
    static final Duration IDLE_REMOVAL = Duration.ofMinutes(5);

    private static final Logger LOG = Logger.getLogger("io.agroal.pool");

    private StorePool() {
    }

    /** The pool of the H2 store: lo's non-admin user and the password {@link H2Store#prepare} read. */
    public static AgroalDataSource h2(H2Store store) {
        return open(store.url(), Optional.of(H2Store.USER), Optional.of(store.prepare()), false, null);
    }

    /**
     * The pool of the H2 store with lo's {@code password}, whose URL carries the decision of
     * {@code closing}, which also learns how each connection reached the file.
     */
    static AgroalDataSource h2(CloseCompaction closing, String password) {
        return open(closing.url(), Optional.of(H2Store.USER), Optional.of(password), false, closing);
    }

    /** The pool of a PostgreSQL store, with the user's URL, user name and password. */
    public static AgroalDataSource postgres(String url, Optional<String> username, Optional<String> password) {
        return open(url, username, password, true, null);
    }

    static AgroalDataSource open(String url, Optional<String> username, Optional<String> password, boolean postgres,
                                 CloseCompaction closing) {
        AgroalDataSourceConfigurationSupplier config = new AgroalDataSourceConfigurationSupplier()
                .connectionPoolConfiguration(pool -> {
                    pool.minSize(0)
                            .maxSize(MAX_SIZE)
                            .acquisitionTimeout(ACQUISITION_TIMEOUT)
                            .validateOnBorrow(true)
                            .connectionValidator(ConnectionValidator.defaultValidator())
                            .validationTimeout(BACKGROUND_VALIDATION)
                            .reapTimeout(IDLE_REMOVAL)
                            .connectionFactoryConfiguration(factory -> {
                                // the driver itself, not DriverManager (which would load every driver on the class path)
                                factory.jdbcUrl(url).trackJdbcResources(true)
                                        .connectionProviderClass(postgres ? Driver.class : org.h2.Driver.class);
                                username.ifPresent(u -> factory.principal(new NamePrincipal(u)));
                                password.ifPresent(p -> factory.credential(new SimplePassword(p)));
                                return factory;
                            });
                    if (postgres) {
                        pool.exceptionSorter(new PostgreSQLExceptionSorter());
                    }
                    return pool;
                });
        // The pool implementation directly, not AgroalDataSource.from (a ServiceLoader look-up).
        // It opens no connection yet: the first getConnection does.
        return new DataSource(config.get(), new Warnings(closing));
    }

    /** What the pool reports goes to the log, as Quarkus's datasource did; new H2 connections to {@link CloseCompaction}. */
    private record Warnings(CloseCompaction closing) implements AgroalDataSourceListener {
        @Override
        public void onConnectionCreation(java.sql.Connection connection) {
            if (closing != null) {
                closing.made(connection);
            }
        }

        @Override
        public void onWarning(String message) {
            LOG.warn(message);
        }

        @Override
        public void onWarning(Throwable throwable) {
            LOG.warn(throwable.getMessage(), throwable);
        }
    }
}
