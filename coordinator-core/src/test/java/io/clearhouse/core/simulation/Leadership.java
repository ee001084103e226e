package io.clearhouse.core.simulation;

import io.clearhouse.api.Outcome;
import io.clearhouse.api.Posting;
import io.clearhouse.api.Reason;
import io.clearhouse.api.Transaction;
import io.clearhouse.api.TransactionRules;
import io.clearhouse.core.admission.Admission;
import io.clearhouse.core.log.DecisionRecord;
import io.clearhouse.core.protocol.BranchState;
import io.clearhouse.core.protocol.CoordinatorState;
import io.clearhouse.core.protocol.Effect;
import io.clearhouse.core.protocol.EffectLoop;
import io.clearhouse.core.protocol.Event;
import io.clearhouse.core.protocol.TransactionMachine;
import io.clearhouse.core.recovery.InDoubtBranches;
import io.clearhouse.core.recovery.InDoubtRecovery;
import io.clearhouse.core.recovery.InDoubtReport;
import io.clearhouse.spi.BankAdapter;
import io.clearhouse.spi.BankException;
import io.clearhouse.spi.BranchPrepare;
import io.clearhouse.spi.Vote;
import io.clearhouse.spi.Xid;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The work of one node during one leadership, from its recovery to the moment it learns of a newer term or crashes:
 * the engine's runtime over the same protocol core, with effects carried out through the simulated network, the
 * replicated log and the clock, and a recovery pass now and then. Once stopped it ignores every timer and answer
 * still under way, as a fresh process would; what it sent the banks still arrives.
 *
 * <p>As the engine does, it gathers the branches bound for a bank into messages ({@link SimulatedOutbox}): one
 * message of each kind in flight per bank, the branches that arrive meanwhile in the next, so the network loses,
 * duplicates, delays and reorders whole messages.
 */
final class Leadership {
    static final long PREPARE_TIMEOUT_MILLIS = 150;
    static final long PHASE_TWO_REPLY_TIMEOUT_MILLIS = 120;
    static final int PHASE_TWO_ATTEMPTS_MAX = 6;
    /** The most postings a transaction may have on the simulated coordinator. */
    static final int POSTINGS_MAX = 8;
    /** Small, so that 40 transfers on 3 banks fill messages and split them. */
    static final int MESSAGE_BRANCHES_MAX = 4;
    /** Several passes in a faulty period of 1.5 s, so they meet the branches a deposed leader's messages leave. */
    static final long RECOVERY_PASS_INTERVAL_MILLIS = 200;

    private final SimulatedCoordinator node;
    private final SimulatedWorld world;
    private final Scheduler scheduler;
    private final Network network;
    private final Admission admission;
    private final Tally tally;
    private final SimulatedDecisionLog log;
    private final Map<String, BankAdapter> recoveryScope;
    private final SimulatedCoordinator.Observer observer;
    private final Map<String, Run> runs = new HashMap<>();
    private final Map<String, Attempt> attempts = new HashMap<>();
    private final Map<String, SimulatedOutbox<QueuedPrepare>> prepares = new HashMap<>();
    private final Map<String, SimulatedOutbox<QueuedPhaseTwo>> commits = new HashMap<>();
    private final Map<String, SimulatedOutbox<QueuedPhaseTwo>> rollbacks = new HashMap<>();
    private long sequence;
    private boolean stopped;

    private enum Progress {
        RUNNING,
        /** Its decision log write failed: nobody can say whether its outcome is recorded. */
        FAILED,
        ANSWERED
    }

    private record Attempt(List<Posting> postings, Progress progress, Outcome outcome) {}

    private record QueuedPrepare(Run run, Effect.SendPrepare prepare) {}

    private record QueuedPhaseTwo(Run run, Xid xid, int attempt) {}

    /**
     * Begins once recovery ran: the outcomes the opening carries (every record, so those of earlier incarnations too;
     * the first of an id wins) answer retried ids, and the first recovery pass is due.
     *
     * @param recoveryScope the banks as this incarnation's recovery may see them
     */
    Leadership(
            SimulatedCoordinator node,
            SimulatedWorld world,
            SimulatedDecisionLog log,
            Map<String, BankAdapter> recoveryScope,
            SimulatedCoordinator.Observer observer) {
        this.node = node;
        this.world = world;
        this.scheduler = world.scheduler();
        this.network = world.network();
        this.admission = new Admission(
                world.directory(), POSTINGS_MAX, TransactionRules.ID_LENGTH_MAX_DEFAULT, PHASE_TWO_ATTEMPTS_MAX);
        this.tally = world.tally();
        this.log = log;
        this.recoveryScope = recoveryScope;
        this.observer = observer;
        for (DecisionRecord record : log.recoveredRecords()) {
            if (record instanceof DecisionRecord.ClientOutcome recorded) {
                attempts.putIfAbsent(
                        recorded.clientId(), new Attempt(recorded.postings(), Progress.ANSWERED, recorded.outcome()));
            }
        }
        schedulePass();
    }

    /** The node learned of a newer term, or crashed. */
    void stop() {
        stopped = true;
    }

    /** The prefix of the transaction ids of its incarnation. */
    String idPrefix() {
        return log.incarnation() + ".";
    }

    /** Where its transactions in flight stand. */
    Set<FailoverPoint> pointsInFlight() {
        Set<FailoverPoint> points = EnumSet.noneOf(FailoverPoint.class);
        runs.values().forEach(run -> points.add(run.point()));
        return points;
    }

    private void schedulePass() {
        scheduler.after(RECOVERY_PASS_INTERVAL_MILLIS, () -> {
            if (!stopped && observer.recoveryPassesWanted()) {
                recoveryPass();
                schedulePass();
            }
        });
    }

    /**
     * The periodic recovery of a running leader. Its own finished transactions must have settled their branches
     * without it (checked first, or a pass would hide a leak); what is left is resolved by the log.
     */
    private void recoveryPass() {
        SimulationChecks.checkOwnBranchesSettled(
                world.banks(), idPrefix(), runs.keySet(), tally.abandoned, tally.released);
        InDoubtReport report = new InDoubtRecovery(
                        recoveryScope, log, new InDoubtBranches(), MESSAGE_BRANCHES_MAX, branches -> {})
                .run(runs::containsKey);
        tally.passResolutions += report.committed() + report.rolledBack();
    }

    /**
     * As the engine: a known id is answered from memory; a retry of an attempt whose write failed fails again, since
     * that write may yet be found in the log, and the id is never run twice by one leadership.
     */
    void accept(String clientId, List<Posting> postings, SimulatedCoordinator.Client client) {
        Reason refusal = admission.refusalBeforeClaim(clientId, postings);
        if (refusal != null) {
            client.told(Outcome.aborted(clientId, refusal));
            return;
        }
        Attempt earlier = attempts.get(clientId);
        if (earlier == null) {
            attempts.put(clientId, new Attempt(postings, Progress.RUNNING, null));
            start(new Transaction(clientId, postings), client);
        } else if (!Admission.isRetry(earlier.postings(), postings)) {
            client.told(Outcome.aborted(clientId, Reason.DUPLICATE_ID));
        } else if (earlier.progress() == Progress.ANSWERED) {
            client.told(earlier.outcome());
        } else if (earlier.progress() == Progress.FAILED) {
            client.failed();
        }
    }

    private void start(Transaction transaction, SimulatedCoordinator.Client client) {
        TransactionMachine machine = admission.admit(log.incarnation() + "." + (++sequence), transaction);
        Run run = new Run(machine, transaction.postings(), client);
        runs.put(machine.globalId(), run);
        deliver(run, machine.firstEvent());
    }

    private void deliver(Run run, Event event) {
        if (stopped) {
            return;
        }
        run.deliver(event);
    }

    /** Tells the cluster when a transaction in flight reached a new point, where it may choose to lose the leader. */
    private void notePoint(Run run) {
        if (run.machine.state() == CoordinatorState.COMPLETED || !runs.containsKey(run.machine.globalId())) {
            return;
        }
        FailoverPoint point = run.point();
        if (point != run.lastPoint) {
            run.lastPoint = point;
            observer.reached(node, point);
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
            whenWritten(run, log.appendDurably(decision.record()), Event.DECISION_DURABLE);
        } else if (effect instanceof Effect.RecordOutcome outcome) {
            whenWritten(run, log.appendDurably(outcome.record()), Event.OUTCOME_DURABLE);
        } else if (effect instanceof Effect.Reply reply) {
            attempts.put(run.machine.clientId(), new Attempt(run.postings, Progress.ANSWERED, reply.outcome()));
            run.client.told(reply.outcome());
        } else if (effect instanceof Effect.RecordCompletion completion) {
            log.appendLazily(completion.record());
        } else if (effect instanceof Effect.AbandonPhaseTwo abandon) {
            tally.abandoned.add(abandon.xid());
        } else if (effect instanceof Effect.Complete) {
            runs.remove(run.machine.globalId());
        }
        // Cancelling the prepare timer needs nothing here: the machine ignores a deadline after its decision.
    }

    private void whenWritten(Run run, CompletableFuture<Void> write, Event event) {
        write.whenComplete((ignored, failure) -> {
            if (failure == null) {
                deliver(run, event);
            } else {
                writeFailed(run);
            }
        });
    }

    /**
     * As the engine: the transaction leaves the in-flight set with its outcome unknown, its prepared branches left to
     * recovery, which resolves them by what the log holds; its client hears of the failure.
     */
    private void writeFailed(Run run) {
        if (stopped) {
            return;
        }
        runs.remove(run.machine.globalId());
        tally.released.add(run.machine.globalId());
        attempts.put(run.machine.clientId(), new Attempt(run.postings, Progress.FAILED, null));
        run.client.failed();
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
            if (!stopped && branch.run().machine.branchState(bankId) == BranchState.PREPARE_SENT) {
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
            if (stopped) {
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
        if (!stopped) {
            for (QueuedPhaseTwo branch : queued) {
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
            tally.messagesOfSeveralBranches++;
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

    /** One transaction in flight, driven by the engine's loop, so the simulation keeps the engine's effect order. */
    private final class Run extends EffectLoop {
        final TransactionMachine machine;
        final List<Posting> postings;
        final List<String> bankIds = new ArrayList<>();
        final SimulatedCoordinator.Client client;
        final Map<String, Integer> awaiting = new HashMap<>();
        FailoverPoint lastPoint;

        Run(TransactionMachine machine, List<Posting> postings, SimulatedCoordinator.Client client) {
            super(machine);
            this.machine = machine;
            this.postings = postings;
            for (int i = 0; i < machine.branchCount(); i++) {
                bankIds.add(machine.branchBank(i));
            }
            this.client = client;
        }

        /** A stopped leader does nothing more, not even what a step it took before the stop asked for. */
        @Override
        protected void perform(Effect effect) {
            if (!stopped) {
                execute(this, effect);
            }
        }

        @Override
        protected void stepped() {
            if (!stopped) {
                notePoint(this);
            }
        }

        FailoverPoint point() {
            return FailoverPoint.of(machine, bankIds);
        }
    }
}
