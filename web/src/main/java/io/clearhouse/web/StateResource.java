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

/** Posted balances of every account, by bank, in the batch command's {@code final_state} shape. */
@Path("state")
@ApplicationScoped
public class StateResource {
    @EJB
    CoordinatorBean coordinator;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response read() {
        return Answers.json(ResponseBodies.state(coordinator.state()));
    }
}
