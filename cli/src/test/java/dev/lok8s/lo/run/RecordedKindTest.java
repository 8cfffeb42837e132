package dev.lok8s.lo.run;

import dev.lok8s.lo.reconcile.KnownState;
import dev.lok8s.lo.events.ClusterCreated;
import dev.lok8s.lo.events.ClusterDeleted;
import dev.lok8s.lo.kind.KindExecutable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A destroy without a configured kind uses the kind executable the log says created the cluster, and says so. */
class RecordedKindTest {

    @TempDir
    Path dir;

    Path executable(String name) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, "#!/bin/sh\nexit 0\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
        return file;
    }

    @Test
    void withoutAConfiguredKindTheRecordedOneIsUsedAndNamed() throws Exception {
        Path recorded = executable("stand-in-kind");
        KnownState known = KnownStateFold.fold("demo", List.of(new ClusterCreated("demo.dev", "demo", "demo",
                List.of("demo-control-plane"), recorded.toString())));
        KindExecutable none = new KindExecutable(null, Map.of("PATH", dir.resolve("empty").toString()), 5);
        List<String> notes = new ArrayList<>();

        KindExecutable chosen = TeardownService.kindFor(none, known, "demo", notes::add);

        assertThat(chosen.locate()).as("the recorded executable").contains(recorded);
        assertThat(notes).singleElement().asString().contains("using " + recorded, "created cluster demo");
    }

    @Test
    void aConfiguredKindWinsAndAMissingRecordedOneIsNotUsed() throws Exception {
        Path configured = executable("kind");
        KnownState known = KnownStateFold.fold("demo", List.of(new ClusterCreated("demo.dev", "demo", "demo",
                List.of(), dir.resolve("gone").toString())));
        List<String> notes = new ArrayList<>();
        KindExecutable onPath = new KindExecutable(null, Map.of("PATH", dir.toString()), 5);
        assertThat(TeardownService.kindFor(onPath, known, "demo", notes::add).locate()).contains(configured);

        KindExecutable none = new KindExecutable(null, Map.of("PATH", dir.resolve("empty").toString()), 5);
        assertThat(TeardownService.kindFor(none, known, "demo", notes::add)).as("recorded one is gone: the configured")
                .isSameAs(none);
        assertThat(notes).isEmpty();
    }

    @Test
    void theKindIsStoredWithTheEventAndOlderEventsWithoutItStillRead() {
        ClusterCreated created = new ClusterCreated("demo.dev", "demo", "demo", List.of("demo-control-plane"),
                "/opt/kind/bin/kind");
        String json = dev.lok8s.lo.events.EventCodec.encode(created);
        assertThat(json).contains("\"kind\":\"/opt/kind/bin/kind\"");
        assertThat(dev.lok8s.lo.events.EventCodec.decode("ClusterCreated", 1, "demo.dev", json)).isEqualTo(created);
        assertThat(dev.lok8s.lo.events.EventCodec.decode("ClusterCreated", 1, "demo.dev",
                "{\"domain\":\"demo.dev\",\"project\":\"demo\",\"cluster\":\"demo\",\"nodes\":[]}"))
                .isEqualTo(new ClusterCreated("demo.dev", "demo", "demo", List.of()));
    }

    @Test
    void theFoldForgetsTheKindOfADeletedCluster() {
        KnownState known = KnownStateFold.fold("demo", List.of(
                new ClusterCreated("demo.dev", "demo", "demo", List.of(), "/opt/kind"),
                new ClusterDeleted("demo.dev", "demo", "demo")));
        assertThat(known.clusterKinds()).isEmpty();
        assertThat(known.clusters()).isEmpty();
    }
}
