package dev.lok8s.lo.api;

import dev.lok8s.lo.store.StoreException;
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
        return new Problem("/problems/bad-parameter", "Bad request parameter", 400,
                e.parameter() + ": " + e.getMessage(), path(uri), e.parameter()).toResponse();
    }

    @ServerExceptionMapper
    public Response notFound(NotFoundProblemException e, UriInfo uri) {
        return new Problem("/problems/not-found", "Not found", 404, e.getMessage(), path(uri), null).toResponse();
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
    public Response engine(RegistriesResource.EngineUnavailableProblem e, UriInfo uri) {
        return new Problem("/problems/engine-unavailable", "Docker Engine unavailable", 503, e.getMessage(),
                path(uri), null).toResponse();
    }

    @ServerExceptionMapper
    public Response store(StoreException e, UriInfo uri) {
        LOG.warn("event store failure on " + path(uri) + ": " + e.getMessage());
        dev.lok8s.lo.store.StoreRecovery.afterFailure(e);  // a closed database is reopened by the next request
        return new Problem("/problems/store-unavailable", "Event store unavailable", 503,
                "the event store could not be read; see the server log", path(uri), null).toResponse();
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e, UriInfo uri) {
        LOG.error("unexpected failure on " + path(uri), e);
        return new Problem("/problems/internal", "Internal error", 500,
                "the server failed to answer; see the server log", path(uri), null).toResponse();
    }

    private static String path(UriInfo uri) {
        return uri == null ? null : "/" + uri.getPath().replaceFirst("^/", "");
    }
}
