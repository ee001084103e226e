package io.clearhouse.bank.remote;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The JSON shapes of the bank protocol as the client writes and reads them (docs/bank-protocol.md). The server has
 * its own copy: the two share the documented format, not code.
 */
final class RemoteWire {
    private RemoteWire() {}

    record MessagesRequest(List<Message> messages) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Message(String bank, String kind, List<Branch> branches, List<String> transactions) {}

    record Branch(String transaction, List<Posting> postings) {}

    record Posting(String account, long amount) {}

    /** {@code forced_writes}: the server's forced writes since it started; absent from a server that does not say. */
    record MessagesResponse(
            List<Answer> answers,
            @JsonProperty("forced_writes") Long forcedWrites) {}

    /**
     * One message's answer: votes (prepare), ok (commit, rollback), transactions (recover), balances (balances) or an
     * error.
     */
    record Answer(List<Vote> votes, Boolean ok, List<String> transactions, List<Balance> balances, Problem error) {}

    record Vote(String vote, String reason) {}

    record Problem(String reason, String detail) {}

    /** The answer to {@code GET /v1/accounts}: every bank of the server with its accounts. */
    record AccountsOfBanks(
            List<BankAccounts> banks,
            @JsonProperty("forced_writes") Long forcedWrites) {}

    record BankAccounts(String bank, List<String> accounts) {}

    record Balance(String account, long posted) {}

    record Account(String account, long posted, long held) {}
}
