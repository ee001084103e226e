package io.clearhouse.web;

import io.clearhouse.ejb.CoordinatorBean;
import io.clearhouse.web.json.ResponseBodies;
import io.clearhouse.web.problem.ProblemException;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** One account's bank, posted balance and held amount. */
@Path("accounts")
@ApplicationScoped
public class AccountResource {
    @EJB
    CoordinatorBean coordinator;

    @GET
    @Path("{account}")
    @Produces(MediaType.APPLICATION_JSON)
    public Response read(@PathParam("account") String account) {
        return coordinator
                .account(account)
                .map(ResponseBodies::account)
                .map(Answers::json)
                .orElseThrow(() -> ProblemException.notFound("UNKNOWN_ACCOUNT", "no bank holds account " + account));
    }
}
