package io.clearhouse.core.engine;

import io.clearhouse.core.protocol.Event;
import io.clearhouse.spi.BankAdapter;
import io.clearhouse.spi.Vote;
import java.util.HashMap;
import java.util.Map;

/**
 * A bank as the runtime calls it, with the events its usual answers become. Events are immutable, so the COMMIT
 * vote and the acknowledgement of one bank are made once and shared by every transaction, instead of being made
 * afresh for every branch.
 */
record Participant(BankAdapter bank, Event.VoteReceived commitVote, Event.AckReceived acknowledgement) {
    static Participant of(String bankId, BankAdapter bank) {
        return new Participant(bank, new Event.VoteReceived(bankId, Vote.COMMIT), new Event.AckReceived(bankId));
    }

    /** Every bank of {@code banks}, by the same id. */
    static Map<String, Participant> of(Map<String, BankAdapter> banks) {
        Map<String, Participant> participants = new HashMap<>();
        banks.forEach((bankId, bank) -> participants.put(bankId, of(bankId, bank)));
        return participants;
    }

    /** The event for {@code vote} from this bank. */
    Event.VoteReceived voteReceived(Vote vote) {
        return vote instanceof Vote.Commit ? commitVote : new Event.VoteReceived(commitVote.bankId(), vote);
    }
}
