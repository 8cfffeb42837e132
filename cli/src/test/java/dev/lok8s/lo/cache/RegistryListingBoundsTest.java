package dev.lok8s.lo.cache;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Catalog and tag lists against a real HTTP server on loopback that misbehaves: an endless catalog,
 * a declared length of gigabytes, a trickle, endless pages, a page of many names. lo stops at its
 * bounds, says which one in a line naming the registry, and reads only what the bound allows.
 */
class RegistryListingBoundsTest {

    private HttpServer server;
    private final AtomicLong served = new AtomicLong();
    private final AtomicInteger requests = new AtomicInteger();

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private RegistryHttp registry(Duration timeout, Handler handler) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/v2/", exchange -> {
            requests.incrementAndGet();
            try (exchange) {
                handler.handle(exchange);
            } catch (IOException gone) {
                // the client hung up: what a bounded reader is expected to do
            }
        });
        server.start();
        URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        return new RegistryHttp(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build(), base, timeout);
    }

    interface Handler {
        void handle(HttpExchange exchange) throws IOException;
    }

    /** Writes {@code chunk} until the client stops reading or {@code limit} bytes went out, counting them. */
    private void endless(OutputStream out, byte[] chunk, long limit) throws IOException {
        while (served.get() < limit) {
            out.write(chunk);
            served.addAndGet(chunk.length);
        }
    }

    @Test
    void anEndlessCatalogIsCutAtTheByteCapOfAPage() throws Exception {
        RegistryHttp http = registry(Duration.ofSeconds(20), exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, 0);  // chunked, no end
            OutputStream out = exchange.getResponseBody();
            out.write("{\"repositories\":[".getBytes(StandardCharsets.US_ASCII));
            endless(out, "\"library/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\",".repeat(1000)
                    .getBytes(StandardCharsets.US_ASCII), 3L << 30);
        });
        long t0 = System.nanoTime();
        assertThatThrownBy(http::catalog).isInstanceOf(RegistryHttp.RegistryException.class)
                .hasMessage("registry " + http.base() + ": GET /v2/_catalog?n=100: stopped after "
                        + RegistryHttp.MAX_PAGE_BYTES + " bytes (lo reads at most " + RegistryHttp.MAX_PAGE_BYTES
                        + " bytes of one page of a list)");
        System.out.printf("endless catalog: stopped after %d ms; the server wrote %d bytes%n",
                (System.nanoTime() - t0) / 1_000_000, served.get());
        Thread.sleep(500);  // the server notices the closed connection
        assertThat(served.get()).as("bytes the server could write before lo hung up (socket buffers included)")
                .isLessThan(64L << 20);
    }

    @Test
    void aDeclaredLengthOfGigabytesIsNotBelieved() throws Exception {
        RegistryHttp http = registry(Duration.ofSeconds(20), exchange -> {
            exchange.sendResponseHeaders(200, 3L << 30);
            endless(exchange.getResponseBody(), new byte[64 * 1024], 3L << 30);
        });
        assertThatThrownBy(() -> http.tags("library/nginx")).isInstanceOf(RegistryHttp.RegistryException.class)
                .hasMessageStartingWith("registry " + http.base() + ": GET /v2/library/nginx/tags/list?n=100: stopped after");
        Thread.sleep(500);
        assertThat(served.get()).isLessThan(64L << 20);
    }

    @Test
    void aTrickleIsCutAtTheDeadlineOfTheWholeAnswer() throws Exception {
        RegistryHttp http = registry(Duration.ofSeconds(1), exchange -> {
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            for (int i = 0; i < 600; i++) {  // one byte per 100 ms: a minute for a tiny answer
                out.write('{');
                out.flush();
                served.incrementAndGet();
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        long t0 = System.nanoTime();
        assertThatThrownBy(http::catalog).isInstanceOf(RegistryHttp.RegistryException.class)
                .hasMessage("registry " + http.base() + ": GET /v2/_catalog?n=100: no complete answer within 1 s"
                        + " (lo's limit for one answer, body included)");
        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.out.printf("trickling catalog: stopped after %d ms%n", ms);
        assertThat(ms).as("the trickle lasts a minute; lo gives up at its deadline").isLessThan(30_000);
    }

    @Test
    void endlessPagesStopAtThePageCapAsATruncatedList() throws Exception {
        RegistryHttp http = registry(Duration.ofSeconds(5), exchange -> {
            int n = requests.get();
            byte[] body = ("{\"repositories\":[\"r" + n + "\"]}").getBytes(StandardCharsets.US_ASCII);
            exchange.getResponseHeaders().set("Link", "</v2/_catalog?last=r" + n + "&n=100>; rel=\"next\"");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        });
        RegistryHttp.Listing listing = http.catalog();
        assertThat(listing.names()).hasSize(RegistryHttp.MAX_PAGES);
        assertThat(listing.truncated()).isTrue();
        assertThat(requests.get()).isEqualTo(RegistryHttp.MAX_PAGES);
    }

    @Test
    void aPageWithMoreNamesThanAskedForKeepsAtMostTheEntryCap() throws Exception {
        StringBuilder names = new StringBuilder("{\"tags\":[");
        for (int i = 0; i < 5000; i++) {
            names.append(i == 0 ? "" : ",").append("\"v").append(i).append('"');
        }
        byte[] body = names.append("]}").toString().getBytes(StandardCharsets.US_ASCII);
        RegistryHttp http = registry(Duration.ofSeconds(5), exchange -> {
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        });
        RegistryHttp.Listing listing = http.tags("app");
        assertThat(listing.names()).hasSize(RegistryHttp.MAX_ENTRIES).startsWith("v0", "v1");
        assertThat(listing.truncated()).isTrue();
    }

    @Test
    void pagesAddUpToTheCapOfOneList() throws Exception {
        // 100 long names per page, 900 kB: under the page cap and the entry cap; the list's own cap stops the fifth
        RegistryHttp http = registry(Duration.ofSeconds(20), exchange -> {
            int n = requests.get();
            String name = "\"" + "r".repeat(9000) + "\"";
            StringBuilder page = new StringBuilder("{\"repositories\":[").append(name);
            for (int i = 1; i < 100; i++) {
                page.append(',').append(name);
            }
            byte[] body = page.append("]}").toString().getBytes(StandardCharsets.US_ASCII);
            exchange.getResponseHeaders().set("Link", "</v2/_catalog?last=" + n + "&n=100>; rel=\"next\"");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        });
        assertThatThrownBy(http::catalog).isInstanceOf(RegistryHttp.RegistryException.class)
                .hasMessageStartingWith("registry " + http.base() + ": GET /v2/_catalog?last=4&n=100: stopped after ")
                .hasMessageEndingWith(" (lo reads at most " + RegistryHttp.MAX_LISTING_BYTES + " bytes of one list in all)");
    }
}
