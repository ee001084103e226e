package io.clearhouse.core.log;

import io.clearhouse.api.Posting;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The invariants of a decision record, checked before a record is written and again after it is read back, so
 * that neither a bug in the engine nor a damaged file turns into a wrong commit.
 */
public final class DecisionRecords {
    /** Longest id or account name a record accepts, in characters; the binary format stores lengths as shorts. */
    public static final int TEXT_LENGTH_MAX = 1024;

    private DecisionRecords() {}

    /**
     * Checks {@code record}.
     *
     * @throws CorruptDecisionRecordException naming the broken rule
     */
    public static void validate(DecisionRecord record) {
        if (record instanceof DecisionRecord.CommitDecision commit) {
            requireText(commit.globalId(), "globalId");
            requireText(commit.clientId(), "clientId");
            requireBalanced(commit.postings());
            requireDistinctBanks(commit.participants());
        } else if (record instanceof DecisionRecord.AbortOutcome abort) {
            requireText(abort.globalId(), "globalId");
            requireText(abort.clientId(), "clientId");
            requirePostings(abort.postings());
        } else if (record instanceof DecisionRecord.Completion completion) {
            requireText(completion.globalId(), "globalId");
        }
    }

    private static void requireText(String text, String field) {
        if (text.isEmpty() || text.length() > TEXT_LENGTH_MAX) {
            throw new CorruptDecisionRecordException(field + " must have 1.." + TEXT_LENGTH_MAX + " characters");
        }
    }

    private static void requirePostings(List<Posting> postings) {
        if (postings.isEmpty()) {
            throw new CorruptDecisionRecordException("a transaction has at least one posting");
        }
        for (Posting posting : postings) {
            requireText(posting.account(), "account");
        }
    }

    private static void requireBalanced(List<Posting> postings) {
        requirePostings(postings);
        long sum = 0;
        for (Posting posting : postings) {
            sum += posting.amount();
        }
        if (sum != 0) {
            throw new CorruptDecisionRecordException("the postings of a commit decision do not sum to zero");
        }
    }

    private static void requireDistinctBanks(List<String> participants) {
        Set<String> seen = new HashSet<>();
        for (String bank : participants) {
            requireText(bank, "participant");
            if (!seen.add(bank)) {
                throw new CorruptDecisionRecordException("participant " + bank + " appears twice");
            }
        }
    }
}
