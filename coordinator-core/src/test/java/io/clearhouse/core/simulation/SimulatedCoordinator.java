package io.clearhouse.core.simulation;

import io.clearhouse.api.Outcome;
import io.clearhouse.api.Posting;
import io.clearhouse.api.Reason;
import io.clearhouse.api.Transaction;
import io.clearhouse.api.TransactionRules;
import io.clearhouse.core.directory.AccountDirectory;
import io.clearhouse.core.log.DecisionRecord;
import io.clearhouse.core.protocol.Branch;
import io.clearhouse.core.protocol.BranchState;
import io.clearhouse.core.protocol.Effect;
import io.clearhouse.core.protocol.Event;
import io.clearhouse.core.protocol.TransactionMachine;
import io.clearhouse.core.recovery.Recovery;
import io.clearhouse.core.recovery.RecoveryReport;
import io.clearhouse.spi.BankException;
import io.clearhouse.spi.BranchPrepare;
import io.clearhouse.spi.Vote;
import io.clearhouse.spi.Xid;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * The simulation runtime: the same protocol core and recovery as the production engine, with effects carried out
 * through the simulated network, log and clock. A crash drops every volatile field (machines, the idempotency map,
 * the outboxes; timers and replies in flight are ignored by incarnation); a restart opens the log again and runs
 * recovery. As the engine does, it gathers the branches bound for a bank into messages ({@link SimulatedOutbox}): one
 * message of each kind in flight per bank, the branches that arrive meanwhile in the next, so the network loses,
 * duplicates, delays and reorders whole messages.
 */
final class SimulatedCoordinator {
    static final long PREPARE_TIMEOUT_MILLIS = 150;
    static final long PHASE_TWO_REPLY_TIMEOUT_MILLIS = 120;
    static final int PHASE_TWO_ATTEMPTS_MAX = 6;
    /** Small, so that 40 transfers on 3 banks fill messages and split them. */
    static final int MESSAGE_BRANCHES_MAX = 4;

    private final Scheduler scheduler;
    private final Network network;
    private final Map<String, SimulatedBank> banks;
    private final AccountDirectory directory;
    private final SimulatedDecisionLog.Disk disk = new SimulatedDecisionLog.Disk();

    private SimulatedDecisionLog log;
    private boolean up;
    private int incarnationToken;
    private long sequence;
    private Map<String, Run> runs;
    private Map<String, Attempt> attempts;
    private Map<String, SimulatedOutbox<QueuedPrepare>> prepares;
    private Map<String, SimulatedOutbox<QueuedPhaseTwo>> commits;
    private Map<String, SimulatedOutbox<QueuedPhaseTwo>> rollbacks;
    private final Set<Xid> abandoned = new HashSet<>();
    private int recoveredCommits;
    private int recoveredRollbacks;
    private int messagesOfSeveralBranches;

    private record Attempt(List<Posting> postings, Outcome outcome) {}

    private record QueuedPrepare(Run run, Effect.SendPrepare prepare) {}

    private record QueuedPhaseTwo(Run run, Xid xid, int attempt) {}

    SimulatedCoordinator(Scheduler scheduler, Network network, Map<String, SimulatedBank> banks) {
        this.scheduler = scheduler;
        this.network = network;
        this.banks = banks;
        this.directory = AccountDirectory.of(banks);
    }

    SimulatedDecisionLog.Disk disk() {
        return disk;
    }

    /** Prepared branches that recovery committed, over every restart so far. */
    int recoveredCommits() {
        return recoveredCommits;
    }

    /** Prepared branches that recovery rolled back, over every restart so far. */
    int recoveredRollbacks() {
        return recoveredRollbacks;
    }

    /** Messages sent that carried more than one branch, over every incarnation. */
    int messagesOfSeveralBranches() {
        return messagesOfSeveralBranches;
    }

    /** Branches whose phase two gave up, left to the recovery of a later incarnation. */
    Set<Xid> abandoned() {
        return abandoned;
    }

    /** The prefix of the transaction ids of the current incarnation. */
    String currentIdPrefix() {
        return log.incarnation() + ".";
    }

    boolean isUp() {
        return up;
    }

    void crash() {
        up = false;
        incarnationToken++;
        log.crash();
        runs = null;
        attempts = null;
        prepares = null;
        commits = null;
        rollbacks = null;
    }

    /** Opens the log and runs recovery; the banks must be up, as recovery calls them directly. */
    void restart() {
        log = new SimulatedDecisionLog(disk, scheduler, 10);
        incarnationToken++;
        runs = new HashMap<>();
        attempts = new HashMap<>();
        prepares = new HashMap<>();
        commits = new HashMap<>();
        rollbacks = new HashMap<>();
        sequence = 0;
        RecoveryReport report = new Recovery(banks, log, 1, 0, MESSAGE_BRANCHES_MAX, branches -> {}).run();
        recoveredCommits += report.committedBranches();
        recoveredRollbacks += report.rolledBackBranches();
        // The simulated log replays every record, so the outcomes of earlier incarnations are among them.
        for (DecisionRecord record : log.recoveredRecords()) {
            if (record instanceof DecisionRecord.ClientOutcome recorded) {
                attempts.putIfAbsent(recorded.clientId(), new Attempt(recorded.postings(), recorded.outcome()));
            }
        }
        up = true;
    }

    /** A client's request; {@code reply} hears the outcome if the coordinator lives to give it. */
    void submit(String clientId, List<Posting> postings, Consumer<Outcome> reply) {
        if (!up) {
            return;
        }
        Attempt earlier = attempts.get(clientId);
        if (earlier != null) {
            if (!earlier.postings().equals(postings)) {
                reply.accept(Outcome.aborted(clientId, Reason.DUPLICATE_ID));
            } else if (earlier.outcome() != null) {
                reply.accept(earlier.outcome());
            }
            return;
        }
        attempts.put(clientId, new Attempt(postings, null));
        start(new Transaction(clientId, postings), reply);
    }

    private void start(Transaction transaction, Consumer<Outcome> reply) {
        String globalId = log.incarnation() + "." + (++sequence);
        var rejection = TransactionRules.check(transaction, 8);
        List<Branch> branches = rejection.isEmpty() ? directory.route(transaction.postings()) : List.of();
        TransactionMachine machine = new TransactionMachine(
                globalId,
                transaction.id(),
                transaction.postings(),
                branches == null ? List.of() : branches,
                PHASE_TWO_ATTEMPTS_MAX);
        Run run = new Run(machine, reply, incarnationToken);
        runs.put(globalId, run);
        if (rejection.isPresent()) {
            deliver(run, new Event.Refuse(rejection.get().reason()));
        } else if (branches == null) {
            deliver(run, new Event.Refuse(Reason.UNKNOWN_ACCOUNT));
        } else {
            deliver(run, Event.START);
        }
    }

    private void deliver(Run run, Event event) {
        if (run.incarnationToken != incarnationToken) {
            return;
        }
        for (Effect effect : run.machine.step(event)) {
            execute(run, effect);
        }
    }

    private void execute(Run run, Effect effect) {
        if (effect instanceof Effect.SendPrepare prepare) {
            sendPrepare(run, prepare);
        } else if (effect instanceof Effect.SendCommit commit) {
            sendPhaseTwo(run, commit.xid(), true, commit.attempt());
        } else if (effect instanceof Effect.SendRollback rollback) {
            sendPhaseTwo(run, rollback.xid(), false, rollback.attempt());
        } else if (effect instanceof Effect.StartPrepareTimer) {
            scheduler.after(PREPARE_TIMEOUT_MILLIS, () -> deliver(run, Event.PREPARE_TIMED_OUT));
        } else if (effect instanceof Effect.ForceDecision decision) {
            log.appendDurably(decision.record()).thenRun(() -> deliver(run, Event.DECISION_DURABLE));
        } else if (effect instanceof Effect.RecordOutcome outcome) {
            log.appendDurably(outcome.record()).thenRun(() -> deliver(run, Event.OUTCOME_DURABLE));
        } else if (effect instanceof Effect.Reply reply) {
            attempts.put(
                    run.machine.clientId(),
                    new Attempt(attempts.get(run.machine.clientId()).postings(), reply.outcome()));
            run.reply.accept(reply.outcome());
        } else if (effect instanceof Effect.RecordCompletion completion) {
            log.appendLazily(completion.record());
        } else if (effect instanceof Effect.AbandonPhaseTwo abandon) {
            abandoned.add(abandon.xid());
        } else if (effect instanceof Effect.Complete) {
            runs.remove(run.machine.globalId());
        }
        // Cancelling the prepare timer needs nothing here: the machine ignores a deadline after its decision.
    }

    private void sendPrepare(Run run, Effect.SendPrepare prepare) {
        String bankId = prepare.xid().bankId();
        prepares.computeIfAbsent(
                        bankId,
                        id -> new SimulatedOutbox<>(
                                MESSAGE_BRANCHES_MAX, (message, free) -> sendPrepares(id, message, free)))
                .offer(new QueuedPrepare(run, prepare));
    }

    /**
     * One prepare message of the branches still wanted (the deadline of the others passed while they queued); a
     * message that goes unanswered frees its slot at the prepare deadline, as in the engine.
     */
    private void sendPrepares(String bankId, List<QueuedPrepare> queued, Runnable free) {
        List<QueuedPrepare> message = new ArrayList<>();
        for (QueuedPrepare branch : queued) {
            if (branch.run().incarnationToken == incarnationToken
                    && branch.run().machine.branchState(bankId) == BranchState.PREPARE_SENT) {
                message.add(branch);
            }
        }
        if (message.isEmpty()) {
            free.run();
            return;
        }
        countMessage(message.size());
        List<BranchPrepare> branches = new ArrayList<>();
        message.forEach(branch -> branches.add(
                new BranchPrepare(branch.prepare().xid(), branch.prepare().postings())));
        network.<List<Vote>>request(bankId, bank -> answerOf(bank.prepareMany(branches)), result -> {
            for (int i = 0; i < message.size(); i++) {
                deliver(
                        message.get(i).run(),
                        result.failed()
                                ? new Event.PrepareFailed(bankId)
                                : new Event.VoteReceived(bankId, result.value().get(i)));
            }
            free.run();
        });
        scheduler.after(2 * PREPARE_TIMEOUT_MILLIS, free);
    }

    private void sendPhaseTwo(Run run, Xid xid, boolean commit, int attempt) {
        long backoff = attempt == 0 ? 0 : Math.min(80, 5L << Math.min(attempt, 4));
        scheduler.after(backoff, () -> {
            if (run.incarnationToken != incarnationToken) {
                return;
            }
            Map<String, SimulatedOutbox<QueuedPhaseTwo>> outboxes = commit ? commits : rollbacks;
            outboxes.computeIfAbsent(
                            xid.bankId(),
                            id -> new SimulatedOutbox<>(
                                    MESSAGE_BRANCHES_MAX, (message, free) -> sendPhaseTwo(id, commit, message, free)))
                    .offer(new QueuedPhaseTwo(run, xid, attempt));
        });
    }

    /** One commit or rollback message; each branch in it counts as failed if no answer comes within the timeout. */
    private void sendPhaseTwo(String bankId, boolean commit, List<QueuedPhaseTwo> queued, Runnable free) {
        List<QueuedPhaseTwo> message = new ArrayList<>();
        List<Xid> xids = new ArrayList<>();
        for (QueuedPhaseTwo branch : queued) {
            if (branch.run().incarnationToken == incarnationToken) {
                message.add(branch);
                xids.add(branch.xid());
                branch.run().awaiting.put(bankId, branch.attempt());
            }
        }
        if (message.isEmpty()) {
            free.run();
            return;
        }
        network.<Void>request(
                bankId, bank -> answerOf(commit ? bank.commitMany(xids) : bank.rollbackMany(xids)), result -> {
                    message.forEach(
                            branch -> phaseTwoAnswered(branch.run(), bankId, branch.attempt(), !result.failed()));
                    free.run();
                });
        scheduler.after(PHASE_TWO_REPLY_TIMEOUT_MILLIS, () -> {
            message.forEach(branch -> phaseTwoAnswered(branch.run(), bankId, branch.attempt(), false));
            free.run();
        });
    }

    private void countMessage(int branches) {
        if (branches > 1) {
            messagesOfSeveralBranches++;
        }
    }

    /** What a message's stage completed with; its failure is the bank's, as the network reports it. */
    private static <T> T answerOf(CompletionStage<T> answer) {
        return BankException.await(answer);
    }

    /** The first answer to a given attempt counts: an acknowledgement, a failure, or the silence of a timeout. */
    private void phaseTwoAnswered(Run run, String bankId, int attempt, boolean acknowledged) {
        if (acknowledged) {
            run.awaiting.remove(bankId);
            deliver(run, new Event.AckReceived(bankId));
        } else if (Integer.valueOf(attempt).equals(run.awaiting.get(bankId))) {
            run.awaiting.remove(bankId);
            deliver(run, new Event.PhaseTwoFailed(bankId));
        }
    }

    private static final class Run {
        final TransactionMachine machine;
        final Consumer<Outcome> reply;
        final int incarnationToken;
        final Map<String, Integer> awaiting = new HashMap<>();

        Run(TransactionMachine machine, Consumer<Outcome> reply, int incarnationToken) {
            this.machine = machine;
            this.reply = reply;
            this.incarnationToken = incarnationToken;
        }
    }
}
