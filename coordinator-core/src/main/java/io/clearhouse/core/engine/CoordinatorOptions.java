package io.clearhouse.core.engine;

import io.clearhouse.api.TransactionRules;
import io.clearhouse.core.log.DecisionRecords;

/**
 * The limits of an {@link EmbeddedCoordinator}, each a named option with a default.
 *
 * @param prepareTimeoutMillis how long a blocking bank may take to vote before the transaction aborts with
 *     {@code TIMEOUT}; a non-blocking bank is called inline and needs no deadline
 * @param postingsMax most postings one transaction may carry
 * @param phaseTwoRetryInitialDelayMillis the pause before the first resend of a failed commit or rollback
 * @param phaseTwoRetryMaxDelayMillis the longest pause between resends; the pause doubles up to it
 * @param phaseTwoAttemptsMax how often a commit or rollback is sent before the branch is left to recovery
 * @param inFlightMax most transactions in flight at once; a caller outside the engine's threads waits for room
 * @param threads most threads of the pool that calls blocking banks and carries work on after a forced write; a
 *     blocking call holds a thread until the bank's forced write, so this bounds how many such prepares can share
 *     one (asynchronous prepares hold no thread)
 * @param closeTimeoutMillis how long {@code close()} waits for transactions in flight
 * @param recoveryAttemptsMax how often recovery at open calls a failing bank before the open fails
 * @param transactionIdsExpected how many client ids the caller expects to submit, or 0 when it cannot say; not a
 *     limit, only the size the table of ids starts at, so that a large batch does not rehash it again and again
 *     while it grows
 * @param finishedOutcomesInMemoryMax how many finished transactions' outcomes the engine keeps in memory, the most
 *     recent, or 0 to keep them all; an id not in memory is looked up in the decision log. A server sets it, so that
 *     its heap does not grow with every transfer it ever made; 0 suits runs whose ids are bounded, such as a batch
 * @param bankMessageBranchesMax most branches one message to a bank carries (a prepare, commit or rollback message);
 *     bounds the size of a bank's request and of a durable bank's log record
 * @param bankMessageLingerMillis how long a branch may wait for others bound for the same bank before a message
 *     goes out while no message of its kind is in flight, or 0 to send at once; branches that arrive while a message
 *     is in flight wait for its answer in any case
 * @param bankMessagesInFlightMax most messages of one kind (prepare, commit, rollback) out to one bank at once.
 *     While they are out, the branches for that bank queue and go in the next message, so this is what gathers
 *     branches: at 1, every branch that arrives during a round trip (or a durable bank's forced write) goes in one
 *     message, and a bank answers one message of each kind at a time, as the SPI promises a blocking bank. More
 *     overlaps round trips, at the price of smaller messages; 1 is the default because a durable bank's forced
 *     writes are one at a time anyway, so a second message in flight would only wait behind the first one's force
 * @param idLengthMax the longest transaction or account id, in characters; a longer one is refused with {@code
 *     INVALID_FORMAT} before anything is recorded. At most {@link DecisionRecords#TEXT_LENGTH_MAX}, what every
 *     decision log stores
 */
public record CoordinatorOptions(
        long prepareTimeoutMillis,
        int postingsMax,
        long phaseTwoRetryInitialDelayMillis,
        long phaseTwoRetryMaxDelayMillis,
        int phaseTwoAttemptsMax,
        int inFlightMax,
        int threads,
        long closeTimeoutMillis,
        int recoveryAttemptsMax,
        int transactionIdsExpected,
        int finishedOutcomesInMemoryMax,
        int bankMessageBranchesMax,
        long bankMessageLingerMillis,
        int bankMessagesInFlightMax,
        int idLengthMax) {
    /** The largest {@code transactionIdsExpected}: sizes the table of ids, so it must not allocate without bound. */
    public static final int TRANSACTION_IDS_EXPECTED_MAX = 1 << 24;

    public CoordinatorOptions {
        requirePositive(prepareTimeoutMillis, "prepareTimeoutMillis");
        requirePositive(postingsMax, "postingsMax");
        requirePositive(phaseTwoRetryInitialDelayMillis, "phaseTwoRetryInitialDelayMillis");
        requirePositive(phaseTwoRetryMaxDelayMillis, "phaseTwoRetryMaxDelayMillis");
        requirePositive(phaseTwoAttemptsMax, "phaseTwoAttemptsMax");
        requirePositive(inFlightMax, "inFlightMax");
        requirePositive(threads, "threads");
        requirePositive(closeTimeoutMillis, "closeTimeoutMillis");
        requirePositive(recoveryAttemptsMax, "recoveryAttemptsMax");
        if (transactionIdsExpected < 0 || transactionIdsExpected > TRANSACTION_IDS_EXPECTED_MAX) {
            throw new IllegalArgumentException("transactionIdsExpected must lie in 0.." + TRANSACTION_IDS_EXPECTED_MAX
                    + ": " + transactionIdsExpected);
        }
        if (finishedOutcomesInMemoryMax < 0) {
            throw new IllegalArgumentException(
                    "finishedOutcomesInMemoryMax must not be negative: " + finishedOutcomesInMemoryMax);
        }
        requirePositive(bankMessageBranchesMax, "bankMessageBranchesMax");
        requirePositive(bankMessagesInFlightMax, "bankMessagesInFlightMax");
        if (bankMessageLingerMillis < 0) {
            throw new IllegalArgumentException(
                    "bankMessageLingerMillis must not be negative: " + bankMessageLingerMillis);
        }
        if (idLengthMax < 1 || idLengthMax > DecisionRecords.TEXT_LENGTH_MAX) {
            throw new IllegalArgumentException("idLengthMax must lie in 1.." + DecisionRecords.TEXT_LENGTH_MAX
                    + ", the longest id a decision log stores: " + idLengthMax);
        }
        if (phaseTwoRetryMaxDelayMillis < phaseTwoRetryInitialDelayMillis) {
            throw new IllegalArgumentException("phaseTwoRetryMaxDelayMillis is below phaseTwoRetryInitialDelayMillis");
        }
    }

    /**
     * The defaults: a 5 s prepare timeout, 64 postings, 20 phase-two attempts backing off from 10 ms to 1 s, 10,000
     * transactions in flight, 256 threads, 10 s to close, 10 recovery attempts per bank call, no expected count of
     * ids, every finished outcome kept in memory; messages to a bank of at most 256 branches, sent at once, one of
     * each kind in flight per bank; ids of {@link TransactionRules#ID_LENGTH_MAX_DEFAULT} characters at most.
     */
    public static CoordinatorOptions defaults() {
        return new CoordinatorOptions(
                5_000,
                64,
                10,
                1_000,
                20,
                10_000,
                256,
                10_000,
                10,
                0,
                0,
                256,
                0,
                1,
                TransactionRules.ID_LENGTH_MAX_DEFAULT);
    }

    public CoordinatorOptions withPrepareTimeoutMillis(long value) {
        Copy copy = new Copy(this);
        copy.prepareTimeoutMillis = value;
        return copy.build();
    }

    public CoordinatorOptions withPostingsMax(int value) {
        Copy copy = new Copy(this);
        copy.postingsMax = value;
        return copy.build();
    }

    public CoordinatorOptions withPhaseTwoRetry(long initialDelayMillis, long maxDelayMillis, int attemptsMax) {
        Copy copy = new Copy(this);
        copy.phaseTwoRetryInitialDelayMillis = initialDelayMillis;
        copy.phaseTwoRetryMaxDelayMillis = maxDelayMillis;
        copy.phaseTwoAttemptsMax = attemptsMax;
        return copy.build();
    }

    public CoordinatorOptions withInFlightMax(int value) {
        Copy copy = new Copy(this);
        copy.inFlightMax = value;
        return copy.build();
    }

    public CoordinatorOptions withThreads(int value) {
        Copy copy = new Copy(this);
        copy.threads = value;
        return copy.build();
    }

    public CoordinatorOptions withCloseTimeoutMillis(long value) {
        Copy copy = new Copy(this);
        copy.closeTimeoutMillis = value;
        return copy.build();
    }

    public CoordinatorOptions withRecoveryAttemptsMax(int value) {
        Copy copy = new Copy(this);
        copy.recoveryAttemptsMax = value;
        return copy.build();
    }

    public CoordinatorOptions withTransactionIdsExpected(int value) {
        Copy copy = new Copy(this);
        copy.transactionIdsExpected = value;
        return copy.build();
    }

    public CoordinatorOptions withFinishedOutcomesInMemoryMax(int value) {
        Copy copy = new Copy(this);
        copy.finishedOutcomesInMemoryMax = value;
        return copy.build();
    }

    public CoordinatorOptions withBankMessageBranchesMax(int value) {
        Copy copy = new Copy(this);
        copy.bankMessageBranchesMax = value;
        return copy.build();
    }

    public CoordinatorOptions withBankMessageLingerMillis(long value) {
        Copy copy = new Copy(this);
        copy.bankMessageLingerMillis = value;
        return copy.build();
    }

    public CoordinatorOptions withBankMessagesInFlightMax(int value) {
        Copy copy = new Copy(this);
        copy.bankMessagesInFlightMax = value;
        return copy.build();
    }

    public CoordinatorOptions withIdLengthMax(int value) {
        Copy copy = new Copy(this);
        copy.idLengthMax = value;
        return copy.build();
    }

    /**
     * A mutable copy of every option, so that each wither names only what it changes and the long constructor call,
     * where two swapped numbers would go unnoticed, is written once.
     */
    private static final class Copy {
        private long prepareTimeoutMillis;
        private int postingsMax;
        private long phaseTwoRetryInitialDelayMillis;
        private long phaseTwoRetryMaxDelayMillis;
        private int phaseTwoAttemptsMax;
        private int inFlightMax;
        private int threads;
        private long closeTimeoutMillis;
        private int recoveryAttemptsMax;
        private int transactionIdsExpected;
        private int finishedOutcomesInMemoryMax;
        private int bankMessageBranchesMax;
        private long bankMessageLingerMillis;
        private int bankMessagesInFlightMax;
        private int idLengthMax;

        Copy(CoordinatorOptions options) {
            prepareTimeoutMillis = options.prepareTimeoutMillis;
            postingsMax = options.postingsMax;
            phaseTwoRetryInitialDelayMillis = options.phaseTwoRetryInitialDelayMillis;
            phaseTwoRetryMaxDelayMillis = options.phaseTwoRetryMaxDelayMillis;
            phaseTwoAttemptsMax = options.phaseTwoAttemptsMax;
            inFlightMax = options.inFlightMax;
            threads = options.threads;
            closeTimeoutMillis = options.closeTimeoutMillis;
            recoveryAttemptsMax = options.recoveryAttemptsMax;
            transactionIdsExpected = options.transactionIdsExpected;
            finishedOutcomesInMemoryMax = options.finishedOutcomesInMemoryMax;
            bankMessageBranchesMax = options.bankMessageBranchesMax;
            bankMessageLingerMillis = options.bankMessageLingerMillis;
            bankMessagesInFlightMax = options.bankMessagesInFlightMax;
            idLengthMax = options.idLengthMax;
        }

        CoordinatorOptions build() {
            return new CoordinatorOptions(
                    prepareTimeoutMillis,
                    postingsMax,
                    phaseTwoRetryInitialDelayMillis,
                    phaseTwoRetryMaxDelayMillis,
                    phaseTwoAttemptsMax,
                    inFlightMax,
                    threads,
                    closeTimeoutMillis,
                    recoveryAttemptsMax,
                    transactionIdsExpected,
                    finishedOutcomesInMemoryMax,
                    bankMessageBranchesMax,
                    bankMessageLingerMillis,
                    bankMessagesInFlightMax,
                    idLengthMax);
        }
    }

    /** The pause before resend number {@code attempt} (1 for the first resend) of a commit or rollback. */
    public long phaseTwoRetryDelayMillis(int attempt) {
        int doublings = Math.min(attempt - 1, 30);
        return Math.min(phaseTwoRetryMaxDelayMillis, phaseTwoRetryInitialDelayMillis << doublings);
    }

    private static void requirePositive(long value, String name) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
    }
}
