package io.clearhouse.web.json;

import com.fasterxml.jackson.databind.JsonNode;
import io.clearhouse.api.Reason;
import io.clearhouse.core.recovery.BranchOutcome;
import io.clearhouse.ejb.SettlementRequest;
import io.clearhouse.web.problem.ProblemException;
import java.util.Iterator;
import java.util.Set;

/**
 * Reads {@code {"transaction_id","bank","outcome","force"?,"reason"?}}, the body of a settlement by hand. Unlike the
 * transfer bodies, a field the contract does not name is refused rather than ignored: a misspelt {@code force} or
 * {@code reason} would otherwise change what an operator's decision does or what the audit trail keeps of it.
 */
public final class SettlementBody {
    /** Longest reason kept in the audit trail, in characters. */
    public static final int REASON_LENGTH_MAX = 1_000;

    private static final Set<String> FIELDS = Set.of("transaction_id", "bank", "outcome", "force", "reason");

    private SettlementBody() {}

    /** The request, with ids of at most {@code idLengthMax} characters, as {@link RequestBodies} checks them. */
    public static SettlementRequest read(byte[] body, int idLengthMax) {
        JsonNode root = RequestBodies.object(body);
        refuseUnknownFields(root);
        String transactionId = RequestBodies.id(root, "transaction_id", "transaction_id", idLengthMax);
        String bank = RequestBodies.id(root, "bank", "bank", idLengthMax);
        BranchOutcome outcome = outcome(root.get("outcome"));
        boolean force = force(root.get("force"));
        String reason = reason(root.get("reason"));
        if (force && reason == null) {
            throw ProblemException.invalid(
                    Reason.INVALID_FORMAT, "reason", "reason is required when force is true: say why, for the audit");
        }
        return new SettlementRequest(transactionId, bank, outcome, force, reason);
    }

    private static void refuseUnknownFields(JsonNode root) {
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw ProblemException.invalid(
                        Reason.INVALID_FORMAT,
                        name,
                        "unknown field " + name + "; a settlement has transaction_id, bank, outcome, force and reason");
            }
        }
    }

    private static BranchOutcome outcome(JsonNode node) {
        if (node == null || node.isNull()) {
            throw ProblemException.invalid(Reason.INVALID_FORMAT, "outcome", "outcome is missing");
        }
        if (node.isTextual() && node.textValue().equals("commit")) {
            return BranchOutcome.COMMIT;
        }
        if (node.isTextual() && node.textValue().equals("rollback")) {
            return BranchOutcome.ROLLBACK;
        }
        throw ProblemException.invalid(
                Reason.INVALID_FORMAT, "outcome", "outcome must be \"commit\" or \"rollback\", not " + node);
    }

    private static boolean force(JsonNode node) {
        if (node == null || node.isNull()) {
            return false;
        }
        if (!node.isBoolean()) {
            throw ProblemException.invalid(Reason.INVALID_FORMAT, "force", "force must be true or false, not " + node);
        }
        return node.booleanValue();
    }

    /** The reason, or null when none was given; a blank one counts as none. */
    private static String reason(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw ProblemException.invalid(Reason.INVALID_FORMAT, "reason", "reason must be a string, not " + node);
        }
        String reason = node.textValue();
        if (reason.length() > REASON_LENGTH_MAX) {
            throw ProblemException.invalid(
                    Reason.INVALID_FORMAT,
                    "reason",
                    "reason has " + reason.length() + " characters; at most " + REASON_LENGTH_MAX);
        }
        if (reason.indexOf('\u0000') >= 0) {
            // PostgreSQL's text cannot hold it.
            throw ProblemException.invalid(Reason.INVALID_FORMAT, "reason", "reason holds the character U+0000");
        }
        return reason.isBlank() ? null : reason;
    }
}
