package io.clearhouse.log.jpa.entity;

/** Which kind of decision record a row holds; stored by name. */
public enum RecordKind {
    INCARNATION,
    COMMIT_DECISION,
    ABORT_OUTCOME,
    COMPLETION
}
