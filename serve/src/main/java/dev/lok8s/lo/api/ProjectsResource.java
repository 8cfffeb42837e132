package dev.lok8s.lo.api;

import dev.lok8s.lo.projection.ProjectNetworks;
import dev.lok8s.lo.projection.ProjectNetworks.NetworkView;
import dev.lok8s.lo.projection.ProjectNetworks.ProjectView;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;

@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "projects and networks", description = "Projects, the networks they use, and who uses each network")
public class ProjectsResource {

    @Inject
    ProjectNetworks projection;

    @GET
    @Path("/projects")
    @Operation(summary = "Every known project with its subnet and the networks it uses (and its nodes on each)")
    public List<ProjectView> projects(@Context UriInfo uri) {
        Params.only(uri);
        return projection.projects();
    }

    @GET
    @Path("/projects/{name}")
    @Operation(summary = "One project")
    public ProjectView project(@Context UriInfo uri, @PathParam("name") String name) {
        Params.only(uri);
        return projection.project(name).orElseThrow(() -> new NotFoundProblemException("no project '" + name + "'"));
    }

    @GET
    @Path("/networks")
    @Operation(summary = "Every recorded network with the projects (and nodes) using it")
    public List<NetworkView> networks(@Context UriInfo uri) {
        Params.only(uri);
        return projection.networks();
    }

    @GET
    @Path("/networks/{name}")
    @Operation(summary = "One network")
    public NetworkView network(@Context UriInfo uri, @PathParam("name") String name) {
        Params.only(uri);
        return projection.network(name).orElseThrow(() -> new NotFoundProblemException("no network '" + name + "'"));
    }
}
