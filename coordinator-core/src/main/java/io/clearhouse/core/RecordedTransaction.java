package io.clearhouse.core;

import io.clearhouse.api.Outcome;
import io.clearhouse.api.Posting;
import java.util.List;
import java.util.Objects;

/**
 * A client id's durable outcome together with the postings it was submitted with.
 *
 * @param outcome committed, or aborted with its reason
 * @param postings what the client asked for, as it asked
 */
public record RecordedTransaction(Outcome outcome, List<Posting> postings) {
    public RecordedTransaction {
        Objects.requireNonNull(outcome, "outcome");
        postings = List.copyOf(postings);
    }
}
