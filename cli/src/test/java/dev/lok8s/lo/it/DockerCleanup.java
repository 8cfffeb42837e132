package dev.lok8s.lo.it;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.List;

/**
 * Removes a test class's Docker resources before its first test and after its last: what an earlier,
 * interrupted run left behind, then what this run made. It goes by label only, through
 * {@link TestDocker#cleanUp}: containers labelled {@code dev.lok8s.test=<id>} or {@code dev.lok8s.test.id=<id>}
 * (the stand-in kind's nodes), then volumes and networks labelled {@code dev.lok8s.test=<id>}. A resource
 * without the test's label, such as a user's own lok8s registries, is never touched.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final DockerCleanup DOCKER = DockerCleanup.forTest(ID);
 * }</pre>
 *
 * <p>As a class-level extension it runs before the class's {@code @BeforeAll} methods and after its
 * {@code @AfterAll} methods, so set-up that creates resources sees a clean engine, and tear-down of other
 * things (files, a mock server) happens while the containers still exist.
 */
public final class DockerCleanup implements BeforeAllCallback, AfterAllCallback {

    private final List<String> testIds;

    private DockerCleanup(List<String> testIds) {
        this.testIds = testIds;
    }

    /** Cleans up by the given test ids (the values of the {@code dev.lok8s.test} label); at least one. */
    public static DockerCleanup forTest(String... testIds) {
        if (testIds.length == 0) {
            throw new IllegalArgumentException("DockerCleanup needs the test's id, the value of its dev.lok8s.test label");
        }
        for (String id : testIds) {
            if (id == null || id.isBlank()) {
                throw new IllegalArgumentException("a blank test id would select every labelled test resource");
            }
        }
        return new DockerCleanup(List.of(testIds));
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        clean();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        clean();
    }

    /** Removes the resources now, e.g. between phases of a test. */
    public void clean() {
        testIds.forEach(TestDocker::cleanUp);
    }
}
