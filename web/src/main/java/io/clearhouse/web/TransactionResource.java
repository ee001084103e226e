package io.clearhouse.web;

import io.clearhouse.core.engine.CoordinatorOptions;
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

/** Transactions of any number of postings across any number of banks, under the same rules as transfers. */
@Path("transactions")
@ApplicationScoped
public class TransactionResource {
    @EJB
    CoordinatorBean coordinator;

    /** Read once, as {@link TransferResource} reads them, to spare each request a second EJB invocation. */
    private ServerSettings settings;

    @PostConstruct
    void readSettings() {
        settings = coordinator.settings();
    }

    /**
     * Submits {@code {"id","postings":[{"account","amount"}]}}, signed amounts that sum to zero; answered as {@link
     * TransferResource#submit} answers.
     */
    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public void submit(InputStream body, @Suspended AsyncResponse response) {
        byte[] bytes = RequestBodies.read(body, settings.bodyBytesMax());
        CoordinatorOptions limits = settings.coordinator();
        Answers.outcomeWhenDone(
                coordinator.submitAsync(RequestBodies.transaction(bytes, limits.postingsMax(), limits.idLengthMax())),
                response);
    }

    /** The recorded outcome of an id with its postings; 404 for an id with no durable outcome. */
    @GET
    @Path("{id}")
    @Produces(MediaType.APPLICATION_JSON)
    public Response read(@PathParam("id") String id) {
        return Answers.recorded(id, coordinator.recorded(id), ResponseBodies::recordedTransaction);
    }
}
