package io.clearhouse.ejb;

import io.clearhouse.core.recovery.InDoubtReport;
import io.clearhouse.core.recovery.ManualSettlementResult;
import io.clearhouse.ejb.trail.AuditAction;
import io.clearhouse.ejb.trail.AuditEntry;
import io.clearhouse.ejb.trail.AuditTrailException;
import io.clearhouse.ejb.trail.JdbcAuditTrail;
import io.clearhouse.ejb.trail.ManualActionResults;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.EJB;
import jakarta.ejb.Singleton;
import jakarta.ejb.TransactionManagement;
import jakarta.ejb.TransactionManagementType;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.Supplier;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Operators' manual actions, each recorded in the audit trail before it is taken and again with its result before
 * the caller answers, so that none goes unrecorded: a settlement by hand and a recovery pass on demand. On a node
 * that does not coordinate, each refuses as the coordinator does ({@link NotLeaderException}, {@link
 * CoordinatorUnavailableException}) before anything is written; an audit trail that cannot be written refuses a
 * settlement ({@link AuditTrailException}) before anything is sent.
 */
@Singleton
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionManagement(TransactionManagementType.BEAN)
public class OperatorActionsBean {
    private static final Logger LOG = Logger.getLogger(OperatorActionsBean.class.getName());

    @Resource(lookup = CoordinatorBean.DATA_SOURCE)
    private DataSource dataSource;

    @EJB
    private CoordinatorBean coordinator;

    private JdbcAuditTrail trail;

    @PostConstruct
    void openTrail() {
        trail = new JdbcAuditTrail(dataSource);
    }

    /** Settles one branch in doubt as {@code request} asks, on behalf of {@code actor}. */
    public RecordedSettlement settle(String actor, SettlementRequest request) {
        coordinator.requireCoordinating();
        long id = trail.begin(
                actor,
                request.force() ? AuditAction.FORCED_SETTLE : AuditAction.SETTLE,
                request.transactionId(),
                request.bankId(),
                ManualActionResults.code(request.outcome()),
                request.reason());
        ManualSettlementResult result = recorded(id, () -> coordinator.settleInDoubt(request.settlement()));
        trail.finish(id, ManualActionResults.of(result));
        return new RecordedSettlement(id, result);
    }

    /**
     * One recovery pass now, on behalf of {@code actor}. Unlike a settlement, a pass runs even when the audit trail
     * cannot be written (a node of a cluster started without a database): it only does now what the timer does
     * unrecorded at its next tick, so it is written to the server's log instead.
     */
    public InDoubtReport recoveryPass(String actor) {
        coordinator.requireCoordinating();
        long id;
        try {
            id = trail.begin(actor, AuditAction.RECOVERY_PASS, null, null, null, null);
        } catch (AuditTrailException e) {
            InDoubtReport report = coordinator.recoverNow();
            LOG.warning(() -> "recovery pass by " + actor + " not in the audit trail (" + e.getMessage() + "): "
                    + ManualActionResults.of(report));
            return report;
        }
        InDoubtReport report = recorded(id, coordinator::recoverNow);
        trail.finish(id, ManualActionResults.of(report));
        return report;
    }

    /** At most {@code limit} entries of the audit trail, newest first, of those with an id below {@code before}. */
    public List<AuditEntry> auditEntries(int limit, OptionalLong before) {
        coordinator.requireLeaderIfClustered();
        return trail.newestFirst(limit, before);
    }

    /** Runs {@code action}, begun as entry {@code id}; an exception is recorded as its result, then thrown. */
    private <T> T recorded(long id, Supplier<T> action) {
        try {
            return action.get();
        } catch (RuntimeException e) {
            try {
                trail.finish(id, ManualActionResults.failed(e));
            } catch (AuditTrailException unrecorded) {
                // The entry stays "started"; the caller hears why the action failed, not why the trail did.
                e.addSuppressed(unrecorded);
            }
            throw e;
        }
    }
}
