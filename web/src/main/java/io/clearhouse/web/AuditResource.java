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
 * The conservation audit on demand: every bank's posted balances summed against the total the banks opened with.
 * Always 200 once the coordinator runs; what the audit cannot tell (a bank unreadable) is {@code null} in the body.
 */
@Path("audit")
@ApplicationScoped
public class AuditResource {
    @EJB
    CoordinatorBean coordinator;

    @GET
    @Path("conservation")
    @Produces(MediaType.APPLICATION_JSON)
    public Response conservation() {
        return Answers.json(ResponseBodies.conservation(coordinator.checkConservation()));
    }
}
