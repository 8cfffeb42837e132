package dev.lok8s.lo.store;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class StoreSchemaTest {

    @Test
    void theLatestShippedVersionIsTheNewestMigrationInTheSources() throws Exception {
        List<String> sources;
        try (Stream<Path> files = Files.list(Path.of("src/main/resources/db/migration"))) {
            sources = files.map(p -> p.getFileName().toString()).toList();
        }
        assertThat(StoreSchema.latestShipped())
                .as("the version a current store's history must hold: the newest migration, or stores are not migrated")
                .isEqualTo(StoreSchema.newest(sources).orElseThrow());
        assertThat(StoreSchema.migrationNames(StoreSchema.class.getClassLoader()))
                .as("what the class path holds").containsAll(sources);
    }

    @Test
    void versionsCompareAsNumbersPartByPart() {
        assertThat(StoreSchema.newest(List.of("V1__events.sql", "V2__projections.sql", "V15__subnet_mismatches.sql",
                "V9__x.sql"))).contains("15");
        assertThat(StoreSchema.newest(List.of("V15__a.sql", "V16_1__b.sql", "V16__c.sql", "V2__d.sql")))
                .as("a branch's range: V16_1 is 16.1, after 16").contains("16.1");
        assertThat(StoreSchema.newest(List.of("V16_2__a.sql", "V16_10__b.sql"))).contains("16.10");
        assertThat(StoreSchema.newest(List.of("V22__a.sql", "V16_9__b.sql"))).contains("22");
    }

    @Test
    void otherFilesAreNotMigrations() {
        assertThat(StoreSchema.newest(List.of("R__view.sql", "V3__a.sql", "V4__b.txt", "V5_x__c.sql", "README.md", "V6.sql")))
                .contains("3");
        assertThat(StoreSchema.newest(List.of("notes.txt"))).isEmpty();
    }
}
