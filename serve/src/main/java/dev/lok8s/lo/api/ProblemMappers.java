package dev.lok8s.lo.api;

import dev.lok8s.lo.engine.EngineUnavailableException;
import dev.lok8s.lo.failure.FailureKind;
import dev.lok8s.lo.store.StoreException;
import dev.lok8s.lo.store.StoreRecovery;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every failure of a resource becomes a {@link Problem}; causes go to the log, never to the client. */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response badParameter(BadParameterException e, UriInfo uri) {
        return problem("/problems/bad-parameter", FailureKind.BAD_INPUT, e.parameter() + ": " + e.getMessage(), uri,
                e.parameter());
    }

    @ServerExceptionMapper
    public Response notFound(NotFoundProblemException e, UriInfo uri) {
        return problem("/problems/not-found", FailureKind.NOT_FOUND, e.getMessage(), uri, null);
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, UriInfo uri) {
        int status = e.getResponse().getStatus();
        Response.Status known = Response.Status.fromStatusCode(status);
        String title = known == null ? "HTTP " + status : known.getReasonPhrase();
        String detail = switch (status) {
            case 404 -> "no resource at " + path(uri);
            case 405 -> "method not allowed on " + path(uri) + " (the API is read-only)";
            case 406 -> "this resource answers application/json (or text/event-stream for the stream)";
            default -> title;
        };
        return new Problem("about:blank", title, status, detail, path(uri), null).toResponse();
    }

    @ServerExceptionMapper
    public Response tooManyStreams(EventStreamResource.TooManyStreamsException e, UriInfo uri) {
        return Response.fromResponse(new Problem("/problems/too-many-streams", "Too many event streams", 503,
                        e.getMessage(), path(uri), null).toResponse())
                .header("Retry-After", Integer.toString(EventStreamResource.RETRY_AFTER_SECONDS)).build();
    }

    @ServerExceptionMapper
    public Response engine(EngineUnavailableException e, UriInfo uri) {
        return problem("/problems/engine-unavailable", FailureKind.ENGINE_UNAVAILABLE, e.getMessage(), uri, null);
    }

    @ServerExceptionMapper
    public Response store(StoreException e, UriInfo uri) {
        LOG.warn("event store failure on " + path(uri) + ": " + e.getMessage());
        StoreRecovery.afterFailure(e);  // a closed database is reopened by the next request
        return problem("/problems/store-unavailable", FailureKind.STORE_UNAVAILABLE,
                "the event store could not be read; see the server log", uri, null);
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e, UriInfo uri) {
        LOG.error("unexpected failure on " + path(uri), e);
        return problem("/problems/internal", FailureKind.FAILED, "the server failed to answer; see the server log", uri,
                null);
    }

    /** A problem whose status and title are the failure table's. */
    private static Response problem(String type, FailureKind kind, String detail, UriInfo uri, String parameter) {
        return new Problem(type, kind.title(), kind.httpStatus(), detail, path(uri), parameter).toResponse();
    }

    private static String path(UriInfo uri) {
        return uri == null ? null : "/" + uri.getPath().replaceFirst("^/", "");
    }
}
