package io.clearhouse.ejb.trail;

import java.util.Arrays;

/** The kinds of manual action the audit trail records, by the code the table and the API use. */
public enum AuditAction {
    /** A branch in doubt settled by hand, without force. */
    SETTLE("settle"),
    /** A settlement asked with force, which may override the decision log as a heuristic decision. */
    FORCED_SETTLE("forced_settle"),
    /** A recovery pass an operator ran instead of waiting for the timer. */
    RECOVERY_PASS("recovery_pass");

    private final String code;

    AuditAction(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }

    /** The action of {@code code}, as read back from the table, which only ever holds these codes. */
    static AuditAction ofCode(String code) {
        return Arrays.stream(values())
                .filter(action -> action.code.equals(code))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("the audit trail holds an unknown action " + code));
    }
}
