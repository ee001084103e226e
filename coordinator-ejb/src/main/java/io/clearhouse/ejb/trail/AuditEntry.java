package io.clearhouse.ejb.trail;

import java.time.Instant;

/**
 * One manual action as the audit trail holds it. The fields that do not apply to an action (a recovery pass has no
 * transaction, bank, outcome or reason) are null, as they are in the table and in the API's answer.
 *
 * @param at when the action began, UTC
 * @param actor who asked: the token's subject, or {@code anonymous} without authentication
 * @param outcome {@code commit} or {@code rollback}, as asked
 * @param result what came of it: {@link #STARTED} until it is known
 */
public record AuditEntry(
        long id,
        Instant at,
        String actor,
        AuditAction action,
        String transactionId,
        String bank,
        String outcome,
        String reason,
        String result) {
    /** The result of an action begun and not yet finished, which a crash between the two leaves for good. */
    public static final String STARTED = "started";
}
