package io.clearhouse.web;

import io.clearhouse.ejb.CoordinatorBean;
import io.clearhouse.ejb.OperatorActionsBean;
import io.clearhouse.ejb.SettlementRequest;
import io.clearhouse.ejb.config.ServerSettings;
import io.clearhouse.web.json.RequestBodies;
import io.clearhouse.web.json.ResponseBodies;
import io.clearhouse.web.json.SettlementBody;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.io.InputStream;

/**
 * Recovery for operators: which transactions have branches that phase two gave up on (a bank that kept failing), a
 * recovery pass on demand instead of at the next tick of {@code clearhouse.recovery.interval-seconds}, and the
 * settlement of one such branch by hand. The pass and the settlements are manual actions, recorded in the audit
 * trail with the actor.
 */
@Path("recovery")
@ApplicationScoped
public class RecoveryResource {
    @EJB
    CoordinatorBean coordinator;

    @EJB
    OperatorActionsBean actions;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response inDoubt() {
        return Answers.json(ResponseBodies.inDoubt(coordinator.inDoubt()));
    }

    @POST
    @Produces(MediaType.APPLICATION_JSON)
    public Response recoverNow(@Context SecurityContext security) {
        return Answers.json(ResponseBodies.recoveryPass(actions.recoveryPass(Actors.of(security))));
    }

    /** Settles one branch in doubt: {@code {"transaction_id","bank","outcome","force"?,"reason"?}}. */
    @POST
    @Path("settlements")
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Response settle(InputStream body, @Context SecurityContext security) {
        ServerSettings settings = coordinator.settings();
        byte[] bytes = RequestBodies.read(body, settings.bodyBytesMax());
        SettlementRequest request =
                SettlementBody.read(bytes, settings.coordinator().idLengthMax());
        return SettlementAnswers.of(request, actions.settle(Actors.of(security), request));
    }
}
