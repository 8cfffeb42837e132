package dev.lok8s.lo.store;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class StoreSchemaTest {

    @Test
    void latestVersionIsTheNewestMigration() throws Exception {
        // V15__x.sql is version 15, V16_1__x.sql is 16.1 (Flyway's "_" separates the parts of a version)
        Pattern version = Pattern.compile("V(\\d+(?:_\\d+)*)__.*\\.sql");
        List<List<Integer>> versions;
        try (Stream<Path> files = Files.list(Path.of("src/main/resources/db/migration"))) {
            versions = files.map(p -> version.matcher(p.getFileName().toString())).filter(Matcher::matches)
                    .map(m -> Arrays.stream(m.group(1).split("_")).map(Integer::valueOf).toList()).toList();
        }
        List<Integer> newest = versions.stream().max(StoreSchemaTest::compareVersions).orElseThrow();
        assertThat(StoreSchema.LATEST_VERSION)
                .as("StoreSchema.LATEST_VERSION must name the newest migration, or stores are not migrated")
                .isEqualTo(newest.stream().map(String::valueOf).collect(Collectors.joining(".")));
    }

    private static int compareVersions(List<Integer> a, List<Integer> b) {
        for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
            int byPart = Integer.compare(i < a.size() ? a.get(i) : 0, i < b.size() ? b.get(i) : 0);
            if (byPart != 0) {
                return byPart;
            }
        }
        return 0;
    }
}
