package dev.lok8s.lo.api;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/** The page at {@code /}: its files, its security headers, and the same Host check as the API. */
@QuarkusTest
@TestProfile(ApiFixture.Profile.class)
class PageTest {

    static final Path ASSETS = Path.of("src/main/resources/META-INF/resources");

    @TestHTTPResource("/")
    URL root;

    @Test
    void theRootIsThePageWithItsPolicy() {
        Response r = given().get("/");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.contentType()).startsWith("text/html");
        assertThat(r.header("Content-Security-Policy")).isEqualTo(PageAssets.CONTENT_SECURITY_POLICY)
                .contains("script-src 'self'").contains("style-src 'self'").contains("default-src 'none'")
                .doesNotContain("unsafe-inline").doesNotContain("unsafe-eval").doesNotContain("http:")
                .doesNotContain("https:");
        assertThat(r.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(r.header("Referrer-Policy")).isEqualTo("no-referrer");
        assertThat(r.header("X-Frame-Options")).isEqualTo("DENY");
        assertThat(r.body().asString()).contains("<script type=\"module\" src=\"/page/app.js\"></script>")
                .contains("<link rel=\"stylesheet\" href=\"/page/app.css\">");
        assertThat(given().get("/index.html").body().asString()).isEqualTo(r.body().asString());
    }

    @Test
    void everyFileThePageLoadsIsServedFromThisServer() throws IOException {
        String html = Files.readString(ASSETS.resolve("index.html"));
        Matcher refs = Pattern.compile("(?:src|href)=\"([^\"]+)\"").matcher(html);
        int local = 0;
        while (refs.find()) {
            String ref = refs.group(1);
            assertThat(ref).as("no other origin, no data: or javascript: URL").startsWith("/");
            assertThat(ref).doesNotStartWith("//");
            if (ref.startsWith("/page/")) {
                assertThat(given().get(ref).statusCode()).as(ref).isEqualTo(200);
                local++;
            }
        }
        assertThat(local).as("the script, the style sheet, the icon").isGreaterThanOrEqualTo(3);
        for (String module : modules()) {
            Response js = given().get("/page/" + module);
            assertThat(js.statusCode()).as(module).isEqualTo(200);
            assertThat(js.contentType()).as(module + ": a module needs a script type").contains("javascript");
            assertThat(js.header("Cache-Control")).isEqualTo("no-cache");
            assertThat(js.body().asString()).isEqualTo(Files.readString(ASSETS.resolve("page").resolve(module)));
        }
        assertThat(given().get("/page/app.css").contentType()).startsWith("text/css");
        assertThat(given().get("/page/no-such-file.js").statusCode()).isEqualTo(404);
    }

    @Test
    void thePageHasNoInlineScriptOrStyleAndWritesNoMarkupFromData() throws IOException {
        String html = Files.readString(ASSETS.resolve("index.html"));
        Matcher scripts = Pattern.compile("<script([^>]*)>(.*?)</script>", Pattern.DOTALL).matcher(html);
        while (scripts.find()) {
            assertThat(scripts.group(1)).as("every script is a file").contains("src=");
            assertThat(scripts.group(2)).as("no inline script").isBlank();
        }
        assertThat(html).as("no inline style").doesNotContain("<style").doesNotContain(" style=");
        assertThat(html.toLowerCase()).as("no inline handlers").doesNotContainPattern(" on[a-z]+=");
        for (String module : modules()) {
            String js = Files.readString(ASSETS.resolve("page").resolve(module));
            assertThat(js).as(module + ": texts go in as text nodes, never as markup")
                    .doesNotContain("innerHTML").doesNotContain("outerHTML").doesNotContain("insertAdjacentHTML")
                    .doesNotContain("document.write").doesNotContain("eval(").doesNotContain("new Function")
                    .doesNotContain("setAttribute('style'");
            assertThat(js.replace("'http://www.w3.org/2000/svg'", "'(the SVG namespace)'"))
                    .as(module + ": nothing from another origin").doesNotContain("http://")
                    .doesNotContain("https://");
        }
    }

    @Test
    void theApiAnswersCarryThePolicyTooButNotSwaggerUi() {
        assertThat(given().get("/api/runs").header("Content-Security-Policy"))
                .isEqualTo(PageAssets.CONTENT_SECURITY_POLICY);
        assertThat(given().get("/q/openapi").header("Content-Security-Policy"))
                .as("Swagger UI and the rest of /q/ keep Quarkus's own headers").isNull();
    }

    @Test
    void thePageIsAnsweredOnlyToLoopbackNamesWithoutAToken() throws Exception {
        for (String path : List.of("/", "/page/app.js")) {
            String answer = rawGet(path, "rebind.example:" + root.getPort());
            assertThat(answer).as(path).startsWith("HTTP/1.1 403").contains("/problems/host-not-allowed");
            assertThat(rawGet(path, "localhost:" + root.getPort())).as(path).startsWith("HTTP/1.1 200");
        }
    }

    @Test
    void pageAssetsAreTheRootAndFilesUnderPage() {
        for (String path : List.of("/", "/index.html", "/page/app.js", "/page/app.css")) {
            assertThat(PageAssets.isAsset(io.vertx.core.http.HttpMethod.GET, path)).as(path).isTrue();
            assertThat(PageAssets.isAsset(io.vertx.core.http.HttpMethod.HEAD, path)).as(path).isTrue();
            assertThat(PageAssets.isAsset(io.vertx.core.http.HttpMethod.POST, path)).as("POST " + path).isFalse();
        }
        for (String path : new String[] {"/api/runs", "/page/", "/page", "/pages/x.js", "/q/health", "/index.htm",
                "/api/page/x", "/page/../api/runs", "", null}) {
            assertThat(PageAssets.isAsset(io.vertx.core.http.HttpMethod.GET, path)).as(String.valueOf(path)).isFalse();
        }
    }

    static List<String> modules() throws IOException {
        try (var files = Files.list(ASSETS.resolve("page"))) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".js")).sorted().toList();
        }
    }

    private String rawGet(String path, String host) throws Exception {
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", root.getPort())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
