package dev.lok8s.lo.projection;

import dev.lok8s.lo.events.NetworkCreated;
import dev.lok8s.lo.events.RunRejected;
import dev.lok8s.lo.events.SubnetMismatchDetected;
import dev.lok8s.lo.machine.Machine;
import dev.lok8s.lo.plan.Scope;
import dev.lok8s.lo.store.AppendHook;
import dev.lok8s.lo.store.EventStore;
import dev.lok8s.lo.store.ExpectedVersion;
import dev.lok8s.lo.store.H2Store;
import dev.lok8s.lo.store.StoredEvent;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.sql.DataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** A store written before the open-mismatches read model existed gets its rows on the first use after V15. */
class OpenMismatchesMigrationTest {

    @Test
    void aStoreMigratedToV15RefillsTheOpenMismatchesFromItsLog(@TempDir Path dir) throws Exception {
        DataSource ds = H2Store.at(dir).dataSource();
        try (Connection keeper = ds.getConnection()) {
            Flyway.configure().dataSource(ds).locations("classpath:db/migration").target("14").load().migrate();
            // what an lo before V15 did: its read models kept (here: only their position), no subnet_mismatches
            Projector projector = new Projector();
            AppendHook before = new AppendHook() {
                @Override
                public void apply(Connection c, StoredEvent event) {
                }

                @Override
                public void advance(Connection c, long position) throws SQLException {
                    projector.advance(c, position);
                }

                @Override
                public long position(Connection c) throws SQLException {
                    return projector.position(c);
                }

                @Override
                public void reset(Connection c) throws SQLException {
                    projector.advance(c, 0);
                }
            };
            EventStore old = new EventStore(ds, Machine.unnamed(), before);
            UUID run = UUID.randomUUID();
            old.append("network-lok8s-registries", ExpectedVersion.ANY, List.of(
                    new NetworkCreated("lok8s.dev", "a", "lok8s-registries", "10.125.200.0/24", Scope.SHARED)), null);
            old.append("run-" + run, ExpectedVersion.NO_STREAM, List.of(
                    new SubnetMismatchDetected("7.lok8s.dev", "c", "lok8s-registries", "10.125.200.0/24", "10.0.0.0/24",
                            null),
                    new RunRejected(run, "7.lok8s.dev", "c", "provision", "refused")), null);

            Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
            EventStore store = new EventStore(ds, Machine.unnamed(), new Projector());
            store.catchUpProjections();  // as StoreBeans does after a migration ran

            assertThat(ReadModels.of(store).subnetMismatchReport().current())
                    .extracting(f -> f.project() + " " + f.kind() + " " + f.detectedAt())
                    .containsExactly("c SHARED_NETWORK_SUBNET 2");
        }
    }
}
