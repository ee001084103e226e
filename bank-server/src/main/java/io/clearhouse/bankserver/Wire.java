package io.clearhouse.bankserver;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** The JSON shapes of the bank protocol as the server reads and writes them (docs/bank-protocol.md). */
final class Wire {
    private Wire() {}

    /** The body of {@code POST /v1/messages}. */
    record MessagesRequest(List<Message> messages) {}

    /**
     * One message for one bank: {@code prepare} carries {@code branches}, {@code commit} and {@code rollback} carry
     * {@code transactions}, the transaction ids of the bank's branches (the xid is the pair of the two).
     */
    record Message(String bank, String kind, List<Branch> branches, List<String> transactions) {}

    record Branch(String transaction, List<Posting> postings) {}

    /** Boxed, so that a missing amount is told apart from a zero one. */
    record Posting(String account, Long amount) {}

    /**
     * The answers in the order of the messages, and the forced writes of the server's log since it started, read once
     * every message of the request is durable, so that a coordinator can count what its transfers cost.
     */
    record MessagesResponse(
            List<Answer> answers,
            @JsonProperty("forced_writes") long forcedWrites) {}

    /**
     * The answer to one message: exactly one of its fields is present, {@code votes} for a prepare, {@code ok} for a
     * commit or rollback, {@code transactions} for a recover, {@code balances} for a balances read, or {@code error}.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Answer(List<Vote> votes, Boolean ok, List<String> transactions, List<Balance> balances, Problem error) {
        static final Answer OK = new Answer(null, true, null, null, null);

        static Answer votes(List<Vote> votes) {
            return new Answer(votes, null, null, null, null);
        }

        static Answer prepared(List<String> transactions) {
            return new Answer(null, null, transactions, null, null);
        }

        static Answer balances(List<Balance> balances) {
            return new Answer(null, null, null, balances, null);
        }

        static Answer failed(Problem problem) {
            return new Answer(null, null, null, null, problem);
        }
    }

    /** {@code vote} is {@code commit}, {@code read-only} or {@code abort}, which alone carries a reason. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Vote(String vote, String reason) {}

    record Problem(String reason, String detail) {}

    record Banks(List<String> banks) {}

    /** The body of {@code GET /v1/accounts}: every bank's accounts, in state-file order. */
    /** Every bank's accounts, and the forced writes so far, from which a client counts its own. */
    record BankAccountsList(
            List<BankAccounts> banks,
            @JsonProperty("forced_writes") long forcedWrites) {}

    record BankAccounts(String bank, List<String> accounts) {}

    record Accounts(List<String> accounts) {}

    record Balance(String account, long posted) {}

    record Balances(List<Balance> balances) {}

    record Account(String account, long posted, long held) {}

    record Prepared(List<String> transactions) {}
}
