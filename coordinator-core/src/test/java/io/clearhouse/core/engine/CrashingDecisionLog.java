package io.clearhouse.core.engine;

import io.clearhouse.core.log.DecisionLog;
import io.clearhouse.core.log.DecisionLogException;
import io.clearhouse.core.log.DecisionRecord;
import java.util.concurrent.CompletableFuture;

/**
 * A real decision log that stops the coordinator at one point of the commit path, as a crash would: either just
 * before the commit decision is forced (nothing written), or just after (the decision is durable but the
 * coordinator never learns it, so no commit is sent); or that fails the decision's forced write outright, or
 * reports it failed after it was made.
 */
final class CrashingDecisionLog extends ForwardingDecisionLog {
    enum CrashPoint {
        BEFORE_DECISION,
        AFTER_DECISION,
        /** The forced write of the decision fails, as on a full disk; the coordinator hears of it. */
        DECISION_WRITE_FAILS,
        /**
         * The decision is durable, but the coordinator hears that its write failed, as when a database's answer to a
         * commit is lost.
         */
        DECISION_WRITTEN_BUT_REPORTED_FAILED
    }

    private final CrashPoint crashPoint;
    private final CompletableFuture<Void> reached = new CompletableFuture<>();

    CrashingDecisionLog(DecisionLog real, CrashPoint crashPoint) {
        super(real);
        this.crashPoint = crashPoint;
    }

    /** Completes once the coordinator reached the crash point. */
    CompletableFuture<Void> reached() {
        return reached;
    }

    @Override
    public CompletableFuture<Void> appendDurably(DecisionRecord record) {
        if (!(record instanceof DecisionRecord.CommitDecision)) {
            return super.appendDurably(record);
        }
        if (crashPoint == CrashPoint.AFTER_DECISION || crashPoint == CrashPoint.DECISION_WRITTEN_BUT_REPORTED_FAILED) {
            super.appendDurably(record).join();
        }
        reached.complete(null);
        if (crashPoint == CrashPoint.DECISION_WRITE_FAILS) {
            return CompletableFuture.failedFuture(new DecisionLogException("no space left on the device"));
        }
        if (crashPoint == CrashPoint.DECISION_WRITTEN_BUT_REPORTED_FAILED) {
            return CompletableFuture.failedFuture(new DecisionLogException("the connection broke during the commit"));
        }
        return new CompletableFuture<>();
    }
}
