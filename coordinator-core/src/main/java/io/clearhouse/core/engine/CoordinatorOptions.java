package io.clearhouse.core.engine;

import io.clearhouse.api.TransactionRules;
import io.clearhouse.core.log.DecisionRecords;

/**
 * The engine's settings: every limit and timeout of an {@link EmbeddedCoordinator}, each a named option with a
 * default and a range checked here, so that a wrong value fails where it is made rather than deep in a run. The
 * server reads each from its configuration ({@code docs/configuration.md} lists the keys); the batch command sets
 * its own. The journal's settings are {@code JournalOptions} and a memory bank's {@code MemoryBankOptions}: those
 * modules do not depend on the engine, and a bank's settings are per bank.
 *
 * @param prepareTimeoutMillis how long a blocking bank may take to vote before the transaction aborts with
 *     {@code TIMEOUT}; a non-blocking bank is called inline and needs no deadline. At least 1; 5 s by default, long
 *     enough for a forced write under load and short enough that a hung bank does not hold funds for long
 * @param postingsMax most postings one transaction may carry. At least 1; 64 by default, far more than a transfer
 *     needs, few enough that one transaction's branches fit one message to each bank
 * @param phaseTwoRetryInitialDelayMillis the pause before the first resend of a failed commit or rollback. At least 1;
 *     10 ms by default, so that a bank's brief hiccup costs little
 * @param phaseTwoRetryMaxDelayMillis the longest pause between resends; the pause doubles up to it. At least the
 *     initial delay; 1 s by default, so that a bank that is down is not flooded
 * @param phaseTwoAttemptsMax how often a commit or rollback is sent before the branch is left to recovery. At least 1;
 *     20 by default, about 13 s of resends with the default pauses, after which the periodic recovery pass takes over
 * @param inFlightMax most transactions in flight at once; a caller outside the engine's threads waits for room. At
 *     least 1; 10,000 by default, which bounds the memory and the queued work of transactions in flight while keeping
 *     hundreds of concurrent clients busy
 * @param threads most threads of the pool that calls blocking banks and carries work on after a forced write; a
 *     blocking call holds a thread until the bank's forced write, so this bounds how many such prepares can share
 *     one (asynchronous prepares hold no thread). At least 1; 256 by default, enough blocking prepares to fill a
 *     forced write of a durable bank. The name predates the rule that limits end in {@code Max}; the batch command
 *     and the benchmarks still call it so
 * @param closeTimeoutMillis how long {@code close()} waits for transactions in flight before it stops the pool. At
 *     least 1; 10 s by default, twice the prepare timeout, so that prepares in flight can still end
 * @param recoveryAttemptsMax how often recovery at open calls a failing bank before the open fails. Calls are
 *     {@code phaseTwoRetryInitialDelayMillis} apart. At least 1; 10 by default, which rides out a momentary failure
 *     while a bank that is down fails the open at once (the server tries its whole start again later) instead of
 *     hanging it
 * @param transactionIdsExpected how many client ids the caller expects to submit, or 0 when it cannot say; not a
 *     limit, only the size the table of ids starts at, so that a large batch does not rehash it again and again
 *     while it grows. 0..{@link #TRANSACTION_IDS_EXPECTED_MAX}; 0 by default
 * @param finishedOutcomesInMemoryMax how many finished transactions' outcomes the engine keeps in memory, the most
 *     recent, or 0 to keep them all; an id not in memory is looked up in the decision log. A server sets it, so that
 *     its heap does not grow with every transfer it ever made; 0 suits runs whose ids are bounded, such as a batch,
 *     and is the default here
 * @param bankMessageBranchesMax most branches one message to a bank carries (a prepare, commit or rollback message);
 *     bounds the size of a bank's request and of a durable bank's log record. At least 1; 256 by default, which
 *     already shares a forced write among hundreds of branches while keeping one message's request small
 * @param bankMessageLingerMillis how long a branch may wait for others bound for the same bank before a message
 *     goes out while no message of its kind is in flight, or 0 to send at once; branches that arrive while a message
 *     is in flight wait for its answer in any case. At least 0; 0 by default, since the in-flight rule below already
 *     gathers branches under load and a linger only adds latency when the engine is idle
 * @param bankMessagesInFlightMax most messages of one kind (prepare, commit, rollback) out to one bank at once.
 *     While they are out, the branches for that bank queue and go in the next message, so this is what gathers
 *     branches: at 1, every branch that arrives during a round trip (or a durable bank's forced write) goes in one
 *     message, and a bank answers one message of each kind at a time, as the SPI promises a blocking bank. More
 *     overlaps round trips, at the price of smaller messages; 1 is the default because a durable bank's forced
 *     writes are one at a time anyway, so a second message in flight would only wait behind the first one's force
 * @param idLengthMax the longest transaction or account id, in characters; a longer one is refused with {@code
 *     INVALID_FORMAT} before anything is recorded. 1..{@link DecisionRecords#TEXT_LENGTH_MAX}, what every decision
 *     log stores, which is also the default
 * @param idleThreadKeepAliveMillis how long a thread of the engine's pool waits for work before it ends; the pool
 *     starts threads only while all are busy, so this is how long a burst's extra threads outlive it. At least 1; 30 s
 *     by default, long enough that a steady load does not start and end threads over and over
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
        int idLengthMax,
        long idleThreadKeepAliveMillis) {
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
            throw new IllegalArgumentException("phaseTwoRetryMaxDelayMillis " + phaseTwoRetryMaxDelayMillis
                    + " is below phaseTwoRetryInitialDelayMillis " + phaseTwoRetryInitialDelayMillis);
        }
        requirePositive(idleThreadKeepAliveMillis, "idleThreadKeepAliveMillis");
    }

    /**
     * The defaults: a 5 s prepare timeout, 64 postings, 20 phase-two attempts backing off from 10 ms to 1 s, 10,000
     * transactions in flight, 256 threads, 10 s to close, 10 recovery attempts per bank call, no expected count of
     * ids, every finished outcome kept in memory; messages to a bank of at most 256 branches, sent at once, one of
     * each kind in flight per bank; ids of {@link TransactionRules#ID_LENGTH_MAX_DEFAULT} characters at most; idle
     * threads of the pool kept for 30 s.
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
                TransactionRules.ID_LENGTH_MAX_DEFAULT,
                30_000);
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

    public CoordinatorOptions withIdleThreadKeepAliveMillis(long value) {
        Copy copy = new Copy(this);
        copy.idleThreadKeepAliveMillis = value;
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
        private long idleThreadKeepAliveMillis;

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
            idleThreadKeepAliveMillis = options.idleThreadKeepAliveMillis;
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
                    idLengthMax,
                    idleThreadKeepAliveMillis);
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
