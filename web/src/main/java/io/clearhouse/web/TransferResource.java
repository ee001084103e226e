package io.clearhouse.web;

import io.clearhouse.ejb.CoordinatorBean;
import io.clearhouse.ejb.config.ServerSettings;
import io.clearhouse.web.json.RequestBodies;
import io.clearhouse.web.json.ResponseBodies;
import jakarta.annotation.PostConstruct;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.AsyncResponse;
import jakarta.ws.rs.container.Suspended;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;

/** Transfers between two accounts: submit one, or read what became of an id. */
@Path("transfers")
@ApplicationScoped
public class TransferResource {
    @EJB
    CoordinatorBean coordinator;

    /**
     * Read once: the settings are fixed at deployment, and asking the EJB for them on every request was a second
     * container invocation per transaction, about 5 % of the server's CPU per transfer.
     */
    private ServerSettings settings;

    @PostConstruct
    void readSettings() {
        settings = coordinator.settings();
    }

    /**
     * Submits {@code {"id","from","to","amount"}}; the same id with the same body answers the first outcome. The
     * request's thread goes back to the pool at once, and the answer goes out when the coordinator has one.
     */
    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public void submit(InputStream body, @Suspended AsyncResponse response) {
        byte[] bytes = RequestBodies.read(body, settings.bodyBytesMax());
        Answers.outcomeWhenDone(
                coordinator.submitAsync(
                        RequestBodies.transfer(bytes, settings.coordinator().idLengthMax())),
                response);
    }

    /** The recorded outcome of an id with what it moved; 404 for an id with no durable outcome. */
    @GET
    @Path("{id}")
    @Produces(MediaType.APPLICATION_JSON)
    public Response read(@PathParam("id") String id) {
        return Answers.recorded(id, coordinator.recorded(id), ResponseBodies::recorded);
    }
}
