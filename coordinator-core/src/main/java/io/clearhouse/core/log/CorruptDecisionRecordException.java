package io.clearhouse.core.log;

/** A decision record broke a rule of its format, when written or when read back. */
public class CorruptDecisionRecordException extends DecisionLogException {
    public CorruptDecisionRecordException(String message) {
        super("invalid decision record: " + message);
    }
}
