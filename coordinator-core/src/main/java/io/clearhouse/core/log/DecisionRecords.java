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
    /**
     * Longest id or account name a record accepts, in characters. Generous for any real id, and small enough that
     * the UTF-8 form (at most 3 bytes a character) fits the memory bank's 64 KiB strings and a journal record.
     */
    public static final int TEXT_LENGTH_MAX = 16_384;

    /** The most bytes one text may take in the encoded form. */
    static final int TEXT_BYTES_MAX = 3 * TEXT_LENGTH_MAX;

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
            // A bank id may be empty: the initial state's keys are any strings, "" among them.
            if (bank.length() > TEXT_LENGTH_MAX) {
                throw new CorruptDecisionRecordException(
                        "participant must have at most " + TEXT_LENGTH_MAX + " characters");
            }
            if (!seen.add(bank)) {
                throw new CorruptDecisionRecordException("participant " + bank + " appears twice");
            }
        }
    }
}
