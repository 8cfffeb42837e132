package dev.lok8s.lo.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;

/** Reads the volume sizes out of the engine's {@code GET /system/df} answer. Pure. */
final class DiskUsage {

    /** A report for thousands of images and volumes stays well below this. */
    static final int MAX_REPORT_BYTES = 32 * 1024 * 1024;

    private static final ObjectMapper JSON = new ObjectMapper();

    private DiskUsage() {
    }

    /** Volume name to bytes; volumes the engine reports as not computed (size -1) are left out. */
    static Map<String, Long> volumeSizes(byte[] report) {
        JsonNode root;
        try {
            root = JSON.readTree(report);
        } catch (IOException e) {
            throw new IllegalStateException("the engine's disk-usage report is not JSON: " + e.getMessage(), e);
        }
        Map<String, Long> sizes = new TreeMap<>();
        for (JsonNode volume : root.path("Volumes")) {
            String name = volume.path("Name").asText(null);
            long size = volume.path("UsageData").path("Size").asLong(-1);
            if (name != null && size >= 0) {
                sizes.put(name, size);
            }
        }
        return sizes;
    }
}
