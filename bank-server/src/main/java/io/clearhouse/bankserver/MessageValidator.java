package io.clearhouse.bankserver;

import static io.clearhouse.bankserver.RequestRefusedException.badRequest;
import static io.clearhouse.bankserver.RequestRefusedException.tooLarge;

import io.clearhouse.api.Posting;
import io.clearhouse.spi.BranchPrepare;
import io.clearhouse.spi.Xid;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks a whole {@code POST /v1/messages} body against the protocol and the server's limits and turns it into SPI
 * arguments, so that a request is refused before any of it is applied. Which banks exist is not checked here: a
 * message for a bank the server does not host is answered with an error of its own, and the others are served.
 */
final class MessageValidator {
    private final BankServerSettings settings;
    private int branches;

    private MessageValidator(BankServerSettings settings) {
        this.settings = settings;
    }

    static List<BankMessage> validate(Wire.MessagesRequest request, BankServerSettings settings)
            throws RequestRefusedException {
        return new MessageValidator(settings).messages(request);
    }

    private List<BankMessage> messages(Wire.MessagesRequest request) throws RequestRefusedException {
        if (request == null || request.messages() == null || request.messages().isEmpty()) {
            throw badRequest(RequestRefusedException.INVALID_MESSAGE, "messages must be a non-empty list");
        }
        if (request.messages().size() > settings.messagesMax()) {
            throw tooLarge(
                    RequestRefusedException.TOO_MANY_MESSAGES,
                    request.messages().size() + " messages, more than the " + settings.messagesMax() + " allowed");
        }
        List<BankMessage> messages = new ArrayList<>(request.messages().size());
        for (int index = 0; index < request.messages().size(); index++) {
            messages.add(message(request.messages().get(index), "messages[" + index + "]"));
        }
        return messages;
    }

    private BankMessage message(Wire.Message message, String where) throws RequestRefusedException {
        if (message == null) {
            throw invalid(where + " is null");
        }
        String bank = id(message.bank(), where + ".bank");
        String kind = message.kind() == null ? "(none)" : message.kind();
        switch (kind) {
            case "prepare" -> {
                refusePresent(message.transactions(), where + ".transactions", kind);
                return new BankMessage.Prepare(bank, branches(bank, message.branches(), where));
            }
            case "commit" -> {
                refusePresent(message.branches(), where + ".branches", kind);
                return new BankMessage.Commit(bank, xids(bank, message.transactions(), where, kind));
            }
            case "rollback" -> {
                refusePresent(message.branches(), where + ".branches", kind);
                return new BankMessage.Rollback(bank, xids(bank, message.transactions(), where, kind));
            }
            case "recover" -> {
                refuseReadFields(message, where, kind);
                return new BankMessage.Recover(bank);
            }
            case "balances" -> {
                refuseReadFields(message, where, kind);
                return new BankMessage.Balances(bank);
            }
            default -> throw invalid(where + ".kind must be prepare, commit, rollback, recover or balances: " + kind);
        }
    }

    private List<BranchPrepare> branches(String bank, List<Wire.Branch> wire, String where)
            throws RequestRefusedException {
        count(wire, where + ".branches");
        Set<String> transactions = new HashSet<>();
        List<BranchPrepare> branches = new ArrayList<>(wire.size());
        for (int index = 0; index < wire.size(); index++) {
            String branchWhere = where + ".branches[" + index + "]";
            Wire.Branch branch = wire.get(index);
            if (branch == null) {
                throw invalid(branchWhere + " is null");
            }
            String transaction = id(branch.transaction(), branchWhere + ".transaction");
            if (!transactions.add(transaction)) {
                throw invalid(branchWhere + ".transaction appears twice in one prepare message: " + transaction);
            }
            branches.add(new BranchPrepare(new Xid(transaction, bank), postings(branch.postings(), branchWhere)));
        }
        return branches;
    }

    private List<Posting> postings(List<Wire.Posting> wire, String where) throws RequestRefusedException {
        if (wire == null) {
            throw invalid(where + ".postings must be a list");
        }
        if (wire.size() > settings.postingsMax()) {
            throw tooLarge(
                    RequestRefusedException.TOO_MANY_POSTINGS,
                    where + " has " + wire.size() + " postings, more than the " + settings.postingsMax() + " allowed");
        }
        Set<String> accounts = new HashSet<>();
        List<Posting> postings = new ArrayList<>(wire.size());
        for (int index = 0; index < wire.size(); index++) {
            String postingWhere = where + ".postings[" + index + "]";
            Wire.Posting posting = wire.get(index);
            if (posting == null) {
                throw invalid(postingWhere + " is null");
            }
            String account = id(posting.account(), postingWhere + ".account");
            if (!accounts.add(account)) {
                throw invalid(postingWhere + ".account appears twice in one branch: " + account);
            }
            // Long.MIN_VALUE is refused with zero: no balance can cover a debit of 2^63, and negating it overflows.
            if (posting.amount() == null || posting.amount() == 0 || posting.amount() == Long.MIN_VALUE) {
                throw invalid(postingWhere + ".amount must be a non-zero integer in -(2^63-1)..2^63-1");
            }
            postings.add(new Posting(account, posting.amount()));
        }
        return postings;
    }

    /** The message's xids; each at most once, as the SPI's message calls want (found by BankProtocolFuzzIT). */
    private List<Xid> xids(String bank, List<String> transactions, String where, String kind)
            throws RequestRefusedException {
        count(transactions, where + ".transactions");
        List<Xid> xids = new ArrayList<>(transactions.size());
        Set<String> seen = new HashSet<>();
        for (int index = 0; index < transactions.size(); index++) {
            String transactionWhere = where + ".transactions[" + index + "]";
            String transaction = id(transactions.get(index), transactionWhere);
            if (!seen.add(transaction)) {
                throw invalid(transactionWhere + " appears twice in one " + kind + " message: " + transaction);
            }
            xids.add(new Xid(transaction, bank));
        }
        return xids;
    }

    private void count(List<?> items, String where) throws RequestRefusedException {
        if (items == null || items.isEmpty()) {
            throw invalid(where + " must be a non-empty list");
        }
        branches += items.size();
        if (branches > settings.branchesMax()) {
            throw tooLarge(
                    RequestRefusedException.TOO_MANY_BRANCHES,
                    "the request has more than the " + settings.branchesMax() + " branches allowed");
        }
    }

    private String id(String id, String where) throws RequestRefusedException {
        if (id == null || id.isEmpty()) {
            throw invalid(where + " must be a non-empty string");
        }
        if (id.length() > settings.idLengthMax()) {
            throw badRequest(
                    RequestRefusedException.ID_TOO_LONG,
                    where + " is " + id.length() + " characters long, more than the " + settings.idLengthMax()
                            + " allowed");
        }
        return id;
    }

    /** A read carries no branches and no transactions; it counts as one branch toward the request's limit. */
    private void refuseReadFields(Wire.Message message, String where, String kind) throws RequestRefusedException {
        refusePresent(message.branches(), where + ".branches", kind);
        refusePresent(message.transactions(), where + ".transactions", kind);
        count(List.of(kind), where);
    }

    private static void refusePresent(List<?> field, String where, String kind) throws RequestRefusedException {
        if (field != null) {
            throw invalid(where + " is not part of a " + kind + " message");
        }
    }

    private static RequestRefusedException invalid(String detail) {
        return badRequest(RequestRefusedException.INVALID_MESSAGE, detail);
    }
}
