package io.clearhouse.web;

import io.clearhouse.ejb.CoordinatorBean;
import io.clearhouse.web.json.ResponseBodies;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The data of the operator console ({@code /console}) that no other endpoint gives: throughput, outcomes by reason
 * and the API's recent transactions. The console reads the in-doubt branches, the audits and the cluster from their
 * own endpoints.
 */
@Path("console")
@ApplicationScoped
public class ConsoleResource {
    @EJB
    CoordinatorBean coordinator;

    @GET
    @Path("overview")
    @Produces(MediaType.APPLICATION_JSON)
    public Response overview() {
        return Answers.json(ResponseBodies.consoleOverview(coordinator.consoleOverview()));
    }
}
