package io.clearhouse.core.recovery;

import io.clearhouse.core.log.DecisionLog;
import io.clearhouse.core.log.DecisionLogException;
import io.clearhouse.core.log.DecisionRecord;
import io.clearhouse.core.log.GlobalIds;
import io.clearhouse.spi.BankAdapter;
import io.clearhouse.spi.BankException;
import io.clearhouse.spi.Xid;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.function.Predicate;

/**
 * Recovery while the coordinator runs, one pass at a time. A pass first sends again the decision of every branch
 * the engine abandoned after its phase-two retry limit, then asks every bank for the branches it holds prepared (all
 * banks at once, {@link BankAdapter#recoverAsync}, then their answers one by one) and resolves those whose transaction is not in flight: commit when a commit decision names the branch, rollback
 * otherwise (presumed abort), as at open. It never touches a branch of a transaction in flight, which the engine
 * itself still drives. A bank that fails, or a log that cannot tell a branch's decision, is counted, asked again at
 * the next pass, and never stops the pass. A branch of a later incarnation than the log's is left alone, as one in
 * flight.
 *
 * <p>The prepared branches of one bank go in a commit message and a rollback message (bounded in size), each sent
 * once per pass; the abandoned branches, few and of one transaction each, go one by one.
 *
 * <p>Not thread-safe: the caller runs one pass at a time.
 */
public final class InDoubtRecovery {
    private final Map<String, ? extends BankAdapter> banks;
    private final DecisionLog log;
    private final InDoubtBranches abandoned;
    private final int messageBranchesMax;
    private final MessageCounter messages;
    private final AbandonedBranchDelivery delivery;

    /**
     * @param abandoned the branches the engine gave up on, which passes resolve and forget
     * @param messageBranchesMax most branches one commit or rollback message carries
     * @param messages counts every commit and rollback message sent, and the branches it carries
     */
    public InDoubtRecovery(
            Map<String, ? extends BankAdapter> banks,
            DecisionLog log,
            InDoubtBranches abandoned,
            int messageBranchesMax,
            MessageCounter messages) {
        if (messageBranchesMax < 1) {
            throw new IllegalArgumentException("messageBranchesMax must be positive: " + messageBranchesMax);
        }
        this.banks = banks;
        this.log = log;
        this.abandoned = abandoned;
        this.messageBranchesMax = messageBranchesMax;
        this.messages = messages;
        this.delivery = new AbandonedBranchDelivery(banks, log, abandoned, messages);
    }

    /**
     * Runs one pass.
     *
     * @param mayBeInFlight whether the transaction of a global id may be in flight; fixed before the pass begins, so
     *     that it also holds for every transaction that starts while the pass asks the banks
     */
    public InDoubtReport run(Predicate<String> mayBeInFlight) {
        Pass pass = new Pass();
        redriveAbandoned(pass);
        PreparedBranchQueries prepared = PreparedBranchQueries.askAll(banks);
        for (BankAdapter bank : banks.values()) {
            resolvePrepared(bank, prepared, mayBeInFlight, pass);
        }
        return pass.report();
    }

    private void redriveAbandoned(Pass pass) {
        for (InDoubtBranches.Transaction transaction : abandoned.transactions()) {
            List<Xid> stillInDoubt = new ArrayList<>(0);
            for (Xid xid : transaction.branches()) {
                if (!pass.send(xid, transaction.commit())) {
                    stillInDoubt.add(xid);
                }
            }
            delivery.settle(transaction, stillInDoubt);
        }
    }

    private void resolvePrepared(
            BankAdapter bank, PreparedBranchQueries queries, Predicate<String> mayBeInFlight, Pass pass) {
        Set<Xid> prepared;
        try {
            prepared = queries.answerOf(bank);
        } catch (BankException e) {
            pass.stillInDoubt++;
            return;
        }
        List<Xid> toCommit = new ArrayList<>();
        List<Xid> toRollBack = new ArrayList<>();
        for (Xid xid : prepared) {
            Recovery.requireOwnBranch(bank, xid);
            if (mayBeInFlight.test(xid.transactionId())
                    || GlobalIds.isOfLaterIncarnation(xid.transactionId(), log.incarnation())) {
                // A later incarnation's branch belongs, in a cluster, to a newer leader than this coordinator, deposed
                // without knowing it yet: that leader may be preparing it, and a rollback here would undo a branch it
                // is about to commit.
                pass.skippedInFlight++;
            } else if (!abandoned.contains(xid)) {
                // A branch still among the abandoned failed its re-drive just now and was counted then.
                // Its decision may be of this incarnation too: a bank that restarts on its own may have lost a
                // commit it had acknowledged.
                sortByLog(xid, toCommit, toRollBack, pass);
            }
        }
        pass.sendMessages(bank, toCommit, true);
        pass.sendMessages(bank, toRollBack, false);
    }

    /**
     * Puts {@code xid} with the commits or the rollbacks, as the log says; a log that cannot answer (unreachable, or
     * a file log whose write failed and may have reached the disk all the same) leaves the branch prepared, since "no
     * decision" would roll back what may be committed. A later pass, or recovery at the next open, resolves it.
     */
    private void sortByLog(Xid xid, List<Xid> toCommit, List<Xid> toRollBack, Pass pass) {
        DecisionRecord.CommitDecision commit;
        try {
            commit = log.commitDecisionOf(xid.transactionId()).orElse(null);
        } catch (DecisionLogException e) {
            pass.stillInDoubt++;
            return;
        }
        (Recovery.commitsBranch(commit, xid) ? toCommit : toRollBack).add(xid);
    }

    /** The tallies of one pass. */
    private final class Pass {
        private int committed;
        private int rolledBack;
        private int skippedInFlight;
        private int stillInDoubt;

        /**
         * Sends the decision to {@code xids} in messages of at most {@code messageBranchesMax}, each once; every branch
         * of a message that failed is counted as still in doubt.
         */
        void sendMessages(BankAdapter bank, List<Xid> xids, boolean commit) {
            for (int from = 0; from < xids.size(); from += messageBranchesMax) {
                List<Xid> message = List.copyOf(xids.subList(from, Math.min(xids.size(), from + messageBranchesMax)));
                messages.messageSent(message.size());
                try {
                    (commit ? bank.commitMany(message) : bank.rollbackMany(message))
                            .toCompletableFuture()
                            .join();
                } catch (BankException | CompletionException e) {
                    stillInDoubt += message.size();
                    continue;
                }
                if (commit) {
                    committed += message.size();
                } else {
                    rolledBack += message.size();
                }
            }
        }

        /** Sends the decision to one branch, once; false, and counted as still in doubt, when the bank failed. */
        boolean send(Xid xid, boolean commit) {
            try {
                delivery.send(xid, commit);
            } catch (BankException e) {
                stillInDoubt++;
                return false;
            }
            if (commit) {
                committed++;
            } else {
                rolledBack++;
            }
            return true;
        }

        InDoubtReport report() {
            return new InDoubtReport(committed, rolledBack, skippedInFlight, stillInDoubt);
        }
    }
}
