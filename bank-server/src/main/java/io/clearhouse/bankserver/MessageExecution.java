package io.clearhouse.bankserver;

import io.clearhouse.api.Completions;
import io.clearhouse.spi.BankAdapter;
import io.clearhouse.spi.BankException;
import io.clearhouse.spi.Vote;
import io.clearhouse.spi.Xid;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * Applies the validated messages of one request to the banks, in request order, and collects one answer per message;
 * a read (recover, balances) sees the messages before it in the request.
 * Every message is started before any is waited for: the memory banks reserve (or refuse) a prepare before {@code
 * prepareMany} returns and vote once the log is forced, so all the prepares of a request, and of the requests served
 * at the same time, share the group commit of the banks' one write-ahead log.
 */
final class MessageExecution {
    static final String BANK_FAILED = "BANK_FAILED";

    private MessageExecution() {}

    static List<Wire.Answer> apply(List<BankMessage> messages, Map<String, BankAdapter> banks) {
        List<CompletableFuture<Wire.Answer>> pending = new ArrayList<>(messages.size());
        for (BankMessage message : messages) {
            pending.add(start(message, banks.get(message.bank())).toCompletableFuture());
        }
        List<Wire.Answer> answers = new ArrayList<>(pending.size());
        for (CompletableFuture<Wire.Answer> answer : pending) {
            answers.add(answer.join());
        }
        return answers;
    }

    private static CompletionStage<Wire.Answer> start(BankMessage message, BankAdapter bank) {
        if (bank == null) {
            return CompletableFuture.completedFuture(Wire.Answer.failed(new Wire.Problem(
                    RequestRefusedException.UNKNOWN_BANK, "this server hosts no bank " + message.bank())));
        }
        CompletionStage<Wire.Answer> answer;
        try {
            if (message instanceof BankMessage.Prepare prepare) {
                answer = bank.prepareMany(prepare.branches()).thenApply(MessageExecution::votes);
            } else if (message instanceof BankMessage.Commit commit) {
                answer = bank.commitMany(commit.xids()).thenApply(done -> Wire.Answer.OK);
            } else if (message instanceof BankMessage.Rollback rollback) {
                answer = bank.rollbackMany(rollback.xids()).thenApply(done -> Wire.Answer.OK);
            } else if (message instanceof BankMessage.Recover) {
                answer = bank.recoverAsync().thenApply(MessageExecution::prepared);
            } else {
                answer = bank.postedBalancesAsync().thenApply(MessageExecution::balances);
            }
        } catch (BankException e) {
            return CompletableFuture.completedFuture(failed(e));
        }
        return answer.exceptionally(MessageExecution::failedOrRethrow);
    }

    private static Wire.Answer votes(List<Vote> votes) {
        List<Wire.Vote> wire = new ArrayList<>(votes.size());
        for (Vote vote : votes) {
            if (vote instanceof Vote.Abort abort) {
                wire.add(new Wire.Vote("abort", abort.reason().name()));
            } else {
                wire.add(new Wire.Vote(vote instanceof Vote.Commit ? "commit" : "read-only", null));
            }
        }
        return Wire.Answer.votes(wire);
    }

    private static Wire.Answer prepared(Set<Xid> xids) {
        List<String> transactions = new ArrayList<>(xids.size());
        for (Xid xid : xids) {
            transactions.add(xid.transactionId());
        }
        return Wire.Answer.prepared(transactions);
    }

    private static Wire.Answer balances(Map<String, Long> posted) {
        List<Wire.Balance> balances = new ArrayList<>(posted.size());
        posted.forEach((account, balance) -> balances.add(new Wire.Balance(account, balance)));
        return Wire.Answer.balances(balances);
    }

    /** A bank's infrastructure failure answers its message; anything else is a bug and fails the request. */
    private static Wire.Answer failedOrRethrow(Throwable failure) {
        Throwable cause = Completions.cause(failure);
        if (cause instanceof BankException bankFailure) {
            return failed(bankFailure);
        }
        throw failure instanceof CompletionException completion ? completion : new CompletionException(cause);
    }

    private static Wire.Answer failed(BankException failure) {
        return Wire.Answer.failed(new Wire.Problem(BANK_FAILED, failure.getMessage()));
    }
}
