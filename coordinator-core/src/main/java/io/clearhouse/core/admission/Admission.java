package io.clearhouse.core.admission;

import io.clearhouse.api.Posting;
import io.clearhouse.api.Reason;
import io.clearhouse.api.Rejection;
import io.clearhouse.api.Transaction;
import io.clearhouse.api.TransactionRules;
import io.clearhouse.core.directory.AccountDirectory;
import io.clearhouse.core.protocol.Branch;
import io.clearhouse.core.protocol.TransactionMachine;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Decides whether and where a transaction runs: the checks before its id is claimed, what a second submission of a
 * known id gets, the business rules, and the routing of its postings to the banks. The engine that serves clients
 * and the simulation both admit through it, so the seeds of the simulation test the code that decides for clients.
 * It holds no state of its own and is thread-safe.
 */
public final class Admission {
    private final AccountDirectory directory;
    private final int postingsMax;
    private final int idLengthMax;
    private final int phaseTwoAttemptsMax;

    /**
     * @param postingsMax the most postings a transaction may have
     * @param idLengthMax the longest id or account, in characters
     * @param phaseTwoAttemptsMax how many times a commit or rollback is sent before the branch is left to recovery
     */
    public Admission(AccountDirectory directory, int postingsMax, int idLengthMax, int phaseTwoAttemptsMax) {
        this.directory = Objects.requireNonNull(directory, "directory");
        this.postingsMax = postingsMax;
        this.idLengthMax = idLengthMax;
        this.phaseTwoAttemptsMax = phaseTwoAttemptsMax;
    }

    /**
     * Whether a submission is refused before its id is claimed: an id no decision log could store is neither held in
     * memory nor written, since the log would fail the write and the client would hear that nobody knows what became
     * of it.
     *
     * @return {@link Reason#INVALID_FORMAT} for a blank id or an id or account no log can store; else {@code null}
     */
    public Reason refusalBeforeClaim(String clientId, List<Posting> postings) {
        if (clientId.isBlank() || !storable(clientId)) {
            return Reason.INVALID_FORMAT;
        }
        for (int i = 0; i < postings.size(); i++) {
            if (!storable(postings.get(i).account())) {
                return Reason.INVALID_FORMAT;
            }
        }
        return null;
    }

    /** Whether {@code id} could be stored by a decision log, so that looking it up there makes sense. */
    public boolean storable(String id) {
        return TransactionRules.storableId(id, 0, id.length(), idLengthMax);
    }

    /**
     * Whether a submission of an id already known is a retry of the same transaction, which gets the earlier
     * attempt's answer, rather than another transaction under a used id, refused with {@link Reason#DUPLICATE_ID}.
     */
    public static boolean isRetry(List<Posting> earlier, List<Posting> submitted) {
        return earlier.equals(submitted);
    }

    /**
     * The machine of a new attempt, routed to its banks, or refused with the first rule it breaks or {@link
     * Reason#UNKNOWN_ACCOUNT}; start it with {@link TransactionMachine#firstEvent()}.
     *
     * @param globalId the attempt's id, unique across restarts
     */
    public TransactionMachine admit(String globalId, Transaction transaction) {
        List<Posting> postings = transaction.postings();
        Reason refusal = null;
        List<Branch> branches = List.of();
        if (!plainTransfer(postings)) {
            Optional<Rejection> rejection = TransactionRules.check(transaction, postingsMax, idLengthMax);
            refusal = rejection.map(Rejection::reason).orElse(null);
        }
        if (refusal == null) {
            branches = directory.route(postings);
            if (branches == null) {
                branches = List.of();
                refusal = Reason.UNKNOWN_ACCOUNT;
            }
        }
        return new TransactionMachine(globalId, transaction.id(), postings, branches, phaseTwoAttemptsMax, refusal);
    }

    /**
     * Whether {@code postings} are a transfer that certainly passes {@link TransactionRules}: two distinct named
     * accounts whose amounts cancel. It spares the common case the rules' set and optional; anything else is left
     * to the rules, which name the reason.
     */
    private boolean plainTransfer(List<Posting> postings) {
        if (postings.size() != 2 || postingsMax < 2) {
            return false;
        }
        Posting first = postings.get(0);
        Posting second = postings.get(1);
        return first.amount() != Long.MIN_VALUE
                && second.amount() != Long.MIN_VALUE
                && first.amount() + second.amount() == 0
                && !first.account().isBlank()
                && !second.account().isBlank()
                && !first.account().equals(second.account());
    }
}
