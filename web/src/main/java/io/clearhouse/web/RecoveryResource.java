package io.clearhouse.web;

import io.clearhouse.ejb.CoordinatorBean;
import io.clearhouse.web.json.ResponseBodies;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * Recovery for operators: which transactions have branches that phase two gave up on (a bank that kept failing),
 * and a recovery pass on demand instead of at the next tick of {@code clearhouse.recovery.interval-seconds}.
 */
@Path("recovery")
@ApplicationScoped
public class RecoveryResource {
    @EJB
    CoordinatorBean coordinator;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response inDoubt() {
        return Answers.json(ResponseBodies.inDoubt(coordinator.inDoubt()));
    }

    @POST
    @Produces(MediaType.APPLICATION_JSON)
    public Response recoverNow() {
        return Answers.json(ResponseBodies.recoveryPass(coordinator.recoverNow()));
    }
}
