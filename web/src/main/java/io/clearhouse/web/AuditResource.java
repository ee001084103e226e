package io.clearhouse.web;

import io.clearhouse.ejb.CoordinatorBean;
import io.clearhouse.ejb.OperatorActionsBean;
import io.clearhouse.web.json.ResponseBodies;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The audit trail of operators' manual actions, newest first and a page at a time; and the conservation audit on
 * demand: every bank's posted balances summed against the total the banks opened with, always 200 once the
 * coordinator runs, with {@code null} in the body for what it cannot tell (a bank unreadable).
 */
@Path("audit")
@ApplicationScoped
public class AuditResource {
    @EJB
    CoordinatorBean coordinator;

    @EJB
    OperatorActionsBean actions;

    /** {@code ?limit=N&before=<id>}: at most N entries (100 by default, 1,000 at most) with ids below {@code before}. */
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response entries(@QueryParam("limit") String limit, @QueryParam("before") String before) {
        AuditPage page = AuditPage.of(limit, before);
        return Answers.json(ResponseBodies.auditEntries(actions.auditEntries(page.limit(), page.before())));
    }

    @GET
    @Path("conservation")
    @Produces(MediaType.APPLICATION_JSON)
    public Response conservation() {
        return Answers.json(ResponseBodies.conservation(coordinator.checkConservation()));
    }
}
