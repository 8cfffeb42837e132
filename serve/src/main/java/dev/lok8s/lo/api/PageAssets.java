package dev.lok8s.lo.api;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The page ({@code GET /}): an HTML file, its script modules and its style sheet, served by Quarkus from
 * {@code META-INF/resources} of the service build. This route gives every answer outside {@code /q/} the
 * page's security headers; its Content-Security-Policy allows scripts, styles and connections from this
 * server only, and no inline script or style, so a text from the log can never run as code even if some
 * rendering forgot to escape it.
 *
 * <p>The page's own files hold no data, so {@link AccessGuard} serves them without the token (a browser
 * cannot send an {@code Authorization} header when it opens an address); every data request the page
 * makes carries the token, read from the address's fragment ({@code #token=...}), which browsers never
 * send to the server.
 */
@ApplicationScoped
public class PageAssets {

    /** No inline script or style, nothing from another origin, no framing, no forms, no plugins. */
    public static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self';"
            + " img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    /** Where the page's files live: the document at the root and everything under this prefix. */
    public static final String ASSET_PREFIX = "/page/";

    void install(@Observes Router router) {
        // after the guard (Integer.MIN_VALUE + 1), before Quarkus's own routes
        router.route().order(Integer.MIN_VALUE + 2).handler(this::headers);
    }

    private void headers(RoutingContext rc) {
        String path = rc.normalizedPath();
        if (!path.startsWith("/q/")) {
            // Swagger UI (under /q/) brings inline scripts of its own; everything else of lo's gets the policy
            rc.response().putHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                    .putHeader("X-Content-Type-Options", "nosniff")
                    .putHeader("Referrer-Policy", "no-referrer")
                    .putHeader("X-Frame-Options", "DENY");
        }
        if (isAsset(path)) {
            // a new build brings new files under the same names: ask the server each time (it answers 304)
            rc.response().putHeader("Cache-Control", "no-cache");
        }
        rc.next();
    }

    /**
     * Whether a request is for one of the page's files, which hold no data and may be fetched without the
     * token: GET or HEAD of {@code /}, {@code /index.html} or a file under {@link #ASSET_PREFIX}. The path
     * is the normalized one ({@code /page/../api/runs} is {@code /api/runs}).
     */
    static boolean isAsset(HttpMethod method, String normalizedPath) {
        return (HttpMethod.GET.equals(method) || HttpMethod.HEAD.equals(method)) && isAsset(normalizedPath);
    }

    static boolean isAsset(String normalizedPath) {
        if (normalizedPath == null) {
            return false;
        }
        return normalizedPath.equals("/") || normalizedPath.equals("/index.html")
                || (normalizedPath.startsWith(ASSET_PREFIX) && normalizedPath.length() > ASSET_PREFIX.length()
                && !normalizedPath.contains(".."));
    }
}
