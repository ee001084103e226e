package io.clearhouse.xa;

import io.clearhouse.api.Posting;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The work of an XA branch on a {@link ParticipantXAResource} between its start and its prepare: the postings made so
 * far, one per account as the SPI wants them (several postings to one account add up), and whether the transaction
 * manager ended the branch as failed. Nothing of it reaches the bank before the prepare.
 */
final class OpenBranch {
    private final Map<String, Long> amounts = new LinkedHashMap<>();
    private boolean failed;

    synchronized void add(List<Posting> postings) {
        for (Posting posting : postings) {
            try {
                amounts.merge(posting.account(), posting.amount(), Math::addExact);
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException(
                        "the postings of account " + posting.account() + " in one branch add up beyond 2^63-1", e);
            }
        }
        amounts.values().removeIf(amount -> amount == 0);
    }

    synchronized void fail() {
        failed = true;
    }

    synchronized boolean failed() {
        return failed;
    }

    synchronized List<Posting> postings() {
        List<Posting> postings = new ArrayList<>(amounts.size());
        amounts.forEach((account, amount) -> postings.add(new Posting(account, amount)));
        return postings;
    }
}
