package io.clearhouse.web;

import io.clearhouse.core.recovery.BranchOutcome;
import io.clearhouse.core.recovery.ManualSettlementResult;
import io.clearhouse.ejb.RecordedSettlement;
import io.clearhouse.ejb.SettlementRequest;
import io.clearhouse.ejb.trail.ManualActionResults;
import io.clearhouse.web.json.ResponseBodies;
import io.clearhouse.web.problem.Problem;
import jakarta.ws.rs.core.Response;

/** How the API answers a settlement by hand: 200, or the problem that says why nothing changed. */
final class SettlementAnswers {
    private SettlementAnswers() {}

    static Response of(SettlementRequest request, RecordedSettlement recorded) {
        ManualSettlementResult result = recorded.result();
        String branch = "the branch of " + request.transactionId() + " at bank " + request.bankId();
        if (result instanceof ManualSettlementResult.Settled settled) {
            return Answers.json(ResponseBodies.settled(recorded.auditId(), request, settled.heuristic()));
        }
        if (result instanceof ManualSettlementResult.ContradictsDecision contradicts) {
            String decided = ManualActionResults.code(contradicts.decided());
            String holds = contradicts.decided() == BranchOutcome.COMMIT
                    ? "the decision log holds a commit decision"
                    : "the decision log holds no commit decision";
            return problem(
                    409,
                    "Decision mismatch",
                    holds + " for " + request.transactionId() + ", so " + branch + " awaits " + decided
                            + "; send force true with a reason to override it as a heuristic decision",
                    ManualActionResults.DECISION_MISMATCH);
        }
        if (result instanceof ManualSettlementResult.BankFailed failed) {
            return problem(
                    503,
                    "Bank unavailable",
                    "bank " + request.bankId() + " did not take the outcome, so " + branch + " stays in doubt: "
                            + failed.detail(),
                    ManualActionResults.BANK_UNAVAILABLE);
        }
        return problem(
                404,
                "Not in doubt",
                "bank " + request.bankId() + " holds no branch of " + request.transactionId()
                        + " in doubt: never in doubt, or settled already by recovery or by hand",
                ManualActionResults.NOT_IN_DOUBT);
    }

    private static Response problem(int status, String title, String detail, String reason) {
        return new Problem(status, title, detail, reason, null).toResponse();
    }
}
