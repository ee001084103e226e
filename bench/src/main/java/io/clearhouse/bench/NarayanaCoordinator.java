package io.clearhouse.bench;

import io.clearhouse.api.Outcome;
import io.clearhouse.api.Posting;
import io.clearhouse.api.Reason;
import io.clearhouse.api.Transaction;
import io.clearhouse.xa.BranchRefusedException;
import io.clearhouse.xa.ParticipantXAResource;
import jakarta.transaction.RollbackException;
import jakarta.transaction.TransactionManager;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Narayana as the coordinator of the benchmark's transfers: each is one JTA transaction on the calling thread, which
 * enlists the bridge's resource of every bank the transfer touches, posts that bank's postings to it, and commits.
 */
final class NarayanaCoordinator extends CallingThreadCoordinator {
    private final TransactionManager transactionManager;
    private final Map<String, ParticipantXAResource> resourcesByBank;

    /** @param resourcesByBank one resource per bank, found by the bank part of an account id ({@code "bank-n"}) */
    NarayanaCoordinator(TransactionManager transactionManager, Map<String, ParticipantXAResource> resourcesByBank) {
        this.transactionManager = transactionManager;
        this.resourcesByBank = Map.copyOf(resourcesByBank);
    }

    @Override
    Outcome run(Transaction transaction) throws Exception {
        Map<ParticipantXAResource, List<Posting>> postingsByResource = postingsByResource(transaction);
        transactionManager.begin();
        try {
            for (Map.Entry<ParticipantXAResource, List<Posting>> branch : postingsByResource.entrySet()) {
                transactionManager.getTransaction().enlistResource(branch.getKey());
                branch.getKey().post(branch.getValue());
            }
        } catch (Exception e) {
            transactionManager.rollback();
            throw e;
        }
        try {
            transactionManager.commit();
            return Outcome.committed(transaction.id());
        } catch (RollbackException e) {
            return Outcome.aborted(transaction.id(), reasonOf(e));
        }
    }

    private Map<ParticipantXAResource, List<Posting>> postingsByResource(Transaction transaction) {
        Map<ParticipantXAResource, List<Posting>> byResource = new LinkedHashMap<>();
        postingsByBank(transaction).forEach((bankId, postings) -> {
            ParticipantXAResource resource = resourcesByBank.get(bankId);
            if (resource == null) {
                throw new IllegalArgumentException(
                        "no bank " + bankId + " for account " + postings.get(0).account());
            }
            byResource.put(resource, postings);
        });
        return byResource;
    }

    /** The bank's reason when a NO vote rolled the transaction back; Narayana gives no reason for other rollbacks. */
    private static Reason reasonOf(Throwable rollback) {
        for (Throwable cause = rollback; cause != null; cause = cause.getCause()) {
            if (cause instanceof BranchRefusedException refused) {
                return refused.reason();
            }
        }
        return Reason.BANK_UNAVAILABLE;
    }
}
