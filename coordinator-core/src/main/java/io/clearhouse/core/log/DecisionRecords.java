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

    /** Up to this many participants, repeats are found by comparing pairs rather than with a set. */
    private static final int DISTINCT_BY_COMPARISON_MAX = 8;

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
        // Indexed loops: every record of a batch passes here, and an iterator per loop is garbage per transfer.
        for (int i = 0; i < postings.size(); i++) {
            requireText(postings.get(i).account(), "account");
        }
    }

    private static void requireBalanced(List<Posting> postings) {
        requirePostings(postings);
        long sum = 0;
        for (int i = 0; i < postings.size(); i++) {
            sum += postings.get(i).amount();
        }
        if (sum != 0) {
            throw new CorruptDecisionRecordException("the postings of a commit decision do not sum to zero");
        }
    }

    private static void requireDistinctBanks(List<String> participants) {
        for (int i = 0; i < participants.size(); i++) {
            // A bank id may be empty: the initial state's keys are any strings, "" among them.
            if (participants.get(i).length() > TEXT_LENGTH_MAX) {
                throw new CorruptDecisionRecordException(
                        "participant must have at most " + TEXT_LENGTH_MAX + " characters");
            }
        }
        String repeated = participants.size() <= DISTINCT_BY_COMPARISON_MAX
                ? repeatedByComparison(participants)
                : repeatedBySet(participants);
        if (repeated != null) {
            throw new CorruptDecisionRecordException("participant " + repeated + " appears twice");
        }
    }

    /** Compares every pair: for the few participants of a typical decision, cheaper than building a set. */
    private static String repeatedByComparison(List<String> participants) {
        for (int i = 1; i < participants.size(); i++) {
            for (int j = 0; j < i; j++) {
                if (participants.get(i).equals(participants.get(j))) {
                    return participants.get(i);
                }
            }
        }
        return null;
    }

    private static String repeatedBySet(List<String> participants) {
        Set<String> seen = new HashSet<>();
        for (String bank : participants) {
            if (!seen.add(bank)) {
                return bank;
            }
        }
        return null;
    }
}
