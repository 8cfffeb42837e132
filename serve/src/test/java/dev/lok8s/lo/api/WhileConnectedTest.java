package dev.lok8s.lo.api;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A request whose client hangs up stops its work (as {@code /api/registries/usage} does, through
 * {@link WhileConnected}); a client that waits gets the answer. On the real HTTP server of the test JVM.
 */
@QuarkusTest
@TestProfile(ApiFixture.Profile.class)
class WhileConnectedTest {

    @TestHTTPResource("/")
    URL root;

    @Test
    void workForAClientThatHungUpIsCancelled() throws Exception {
        SlowWorkResource.started = new CountDownLatch(1);
        int cancelledBefore = SlowWorkResource.CANCELLED.get();
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", root.getPort()), 5000);
            s.getOutputStream().write(("GET /test/slow-work?ms=120000 HTTP/1.1\r\nHost: 127.0.0.1:" + root.getPort()
                    + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            assertThat(SlowWorkResource.started.await(20, TimeUnit.SECONDS)).as("the work started").isTrue();
        }
        // the work would spin for two minutes; the closed connection stops it
        long until = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (SlowWorkResource.RUNNING.get() > 0 && System.nanoTime() < until) {
            Thread.sleep(50);
        }
        assertThat(SlowWorkResource.RUNNING.get()).as("work still spinning after its client left").isZero();
        assertThat(SlowWorkResource.CANCELLED.get()).isEqualTo(cancelledBefore + 1);
    }

    @Test
    void aClientThatWaitsGetsTheAnswer() {
        String body = given().queryParam("ms", 600).get("/test/slow-work").then().statusCode(200).extract().asString();
        assertThat(body).startsWith("done after ");
    }
}
