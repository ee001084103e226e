package io.clearhouse.core.recovery;

/** What became of one manual settlement of a branch in doubt. */
public sealed interface ManualSettlementResult {
    /**
     * The bank acknowledged the outcome and recovery no longer retries the branch.
     *
     * @param globalId the coordinator's id of the attempt the branch belongs to
     * @param decided the outcome the decision log asks of the branch, which a heuristic settlement overrode
     * @param heuristic whether the outcome sent contradicts {@code decided}
     */
    record Settled(String globalId, BranchOutcome decided, boolean heuristic) implements ManualSettlementResult {}

    /** The bank holds no branch of that transaction that waits in doubt; nothing was sent. */
    record NotInDoubt() implements ManualSettlementResult {}

    /** The outcome contradicts {@code decided}, the log's, and was not forced; nothing was sent. */
    record ContradictsDecision(BranchOutcome decided) implements ManualSettlementResult {}

    /** The bank failed to take the outcome; the branch stays in doubt. */
    record BankFailed(String detail) implements ManualSettlementResult {}
}
