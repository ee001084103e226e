package io.clearhouse.core.simulation;

import io.clearhouse.api.Outcome;
import io.clearhouse.api.Posting;
import io.clearhouse.api.Reason;
import io.clearhouse.api.Transaction;
import io.clearhouse.api.TransactionRules;
import io.clearhouse.core.directory.AccountDirectory;
import io.clearhouse.core.log.DecisionRecord;
import io.clearhouse.core.protocol.Branch;
import io.clearhouse.core.protocol.Effect;
import io.clearhouse.core.protocol.Event;
import io.clearhouse.core.protocol.TransactionMachine;
import io.clearhouse.core.recovery.Recovery;
import io.clearhouse.core.recovery.RecoveryReport;
import io.clearhouse.spi.Vote;
import io.clearhouse.spi.Xid;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * The simulation runtime: the same protocol core and recovery as the production engine, with effects carried out
 * through the simulated network, log and clock. A crash drops every volatile field (machines, the idempotency map,
 * timers and replies in flight are ignored by incarnation); a restart opens the log again and runs recovery.
 */
final class SimulatedCoordinator {
    static final long PREPARE_TIMEOUT_MILLIS = 150;
    static final long PHASE_TWO_REPLY_TIMEOUT_MILLIS = 120;
    static final int PHASE_TWO_ATTEMPTS_MAX = 6;

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
    private final Set<Xid> abandoned = new HashSet<>();
    private int recoveredCommits;
    private int recoveredRollbacks;

    private record Attempt(List<Posting> postings, Outcome outcome) {}

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
    }

    /** Opens the log and runs recovery; the banks must be up, as recovery calls them directly. */
    void restart() {
        log = new SimulatedDecisionLog(disk, scheduler, 10);
        incarnationToken++;
        runs = new HashMap<>();
        attempts = new HashMap<>();
        sequence = 0;
        RecoveryReport report = new Recovery(banks, log, 1, 0, new LongAdder()).run();
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
        Xid xid = prepare.xid();
        network.<Vote>request(
                xid.bankId(),
                bank -> bank.prepare(xid, prepare.postings()),
                result -> deliver(
                        run,
                        result.failed()
                                ? new Event.PrepareFailed(xid.bankId())
                                : new Event.VoteReceived(xid.bankId(), result.value())));
    }

    private void sendPhaseTwo(Run run, Xid xid, boolean commit, int attempt) {
        long backoff = attempt == 0 ? 0 : Math.min(80, 5L << Math.min(attempt, 4));
        scheduler.after(backoff, () -> {
            if (run.incarnationToken != incarnationToken) {
                return;
            }
            run.awaiting.put(xid.bankId(), attempt);
            network.<Void>request(
                    xid.bankId(),
                    bank -> {
                        if (commit) {
                            bank.commit(xid);
                        } else {
                            bank.rollback(xid);
                        }
                        return null;
                    },
                    result -> phaseTwoAnswered(run, xid.bankId(), attempt, !result.failed()));
            scheduler.after(PHASE_TWO_REPLY_TIMEOUT_MILLIS, () -> phaseTwoAnswered(run, xid.bankId(), attempt, false));
        });
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
