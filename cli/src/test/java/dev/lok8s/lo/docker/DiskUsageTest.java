package dev.lok8s.lo.docker;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class DiskUsageTest {

    @Test
    void volumeSizesFromTheDiskUsageReportLeavingOutUncomputedOnes() {
        String report = """
                {"LayersSize":0,"Images":[],"Containers":[],"Volumes":[
                  {"Name":"lok8s-registry-io-docker","Driver":"local","UsageData":{"Size":1984000,"RefCount":1}},
                  {"Name":"empty","UsageData":{"Size":0,"RefCount":0}},
                  {"Name":"not-computed","UsageData":{"Size":-1,"RefCount":-1}}],"BuildCache":[]}
                """;
        assertThat(DiskUsage.volumeSizes(report.getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(Map.of("lok8s-registry-io-docker", 1984000L, "empty", 0L));
        assertThat(DiskUsage.volumeSizes("{\"Volumes\":null}".getBytes(StandardCharsets.UTF_8))).isEmpty();
    }
}
