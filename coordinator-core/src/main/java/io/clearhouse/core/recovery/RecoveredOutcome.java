package io.clearhouse.core.recovery;

import io.clearhouse.api.Outcome;
import io.clearhouse.api.Posting;
import java.util.List;

/**
 * An outcome a client was told before the restart, with the postings it was for, so a retried id can be answered.
 *
 * @param outcome the outcome
 * @param postings the transaction's postings
 */
public record RecoveredOutcome(Outcome outcome, List<Posting> postings) {}
