package io.clearhouse.xa;

import io.clearhouse.api.Posting;
import jakarta.transaction.Transaction;
import jakarta.transaction.TransactionManager;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * The process {@link NarayanaCrashRecoveryIT} kills: Narayana, its object store in the first argument, moves money
 * from bank A to bank B (durable memory banks in the second argument) in {@link #COMMITTED_TRANSFERS} transfers that
 * complete, then in one more that stops in the phase the third argument names ({@code COMMIT}: at the first bank's
 * commit Narayana sends; {@code PREPARE}: at bank B's prepare, bank A, enlisted first, having prepared), where the
 * process waits to be killed.
 */
public final class TransfersStoppedInPhase {
    static final int COMMITTED_TRANSFERS = 3;
    static final long COMMITTED_AMOUNT = 10;
    static final long STOPPED_AMOUNT = 100;

    private TransfersStoppedInPhase() {}

    public static void main(String[] arguments) throws Exception {
        TransactionManager transactionManager = NarayanaStandalone.start(Path.of(arguments[0]));
        Path banks = Path.of(arguments[1]);
        BankStoppingInPhase.Phase phase = BankStoppingInPhase.Phase.valueOf(arguments[2]);
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        BankStoppingInPhase bankA = new BankStoppingInPhase(DurableBanks.openA(banks), out);
        BankStoppingInPhase bankB = new BankStoppingInPhase(DurableBanks.openB(banks), out);
        ParticipantXAResource resourceA = new ParticipantXAResource(bankA);
        ParticipantXAResource resourceB = new ParticipantXAResource(bankB);
        for (int i = 0; i < COMMITTED_TRANSFERS; i++) {
            transfer(transactionManager, resourceA, resourceB, COMMITTED_AMOUNT);
        }
        if (phase == BankStoppingInPhase.Phase.COMMIT) {
            // Both banks, since the order in which Narayana sends the commits is its own business.
            bankA.stopAtNext(phase);
        }
        bankB.stopAtNext(phase);
        transfer(transactionManager, resourceA, resourceB, STOPPED_AMOUNT);
        throw new IllegalStateException("the transfer went through the call that should have stopped it");
    }

    private static void transfer(
            TransactionManager transactionManager,
            ParticipantXAResource resourceA,
            ParticipantXAResource resourceB,
            long amount)
            throws Exception {
        transactionManager.begin();
        Transaction transaction = transactionManager.getTransaction();
        transaction.enlistResource(resourceA);
        transaction.enlistResource(resourceB);
        resourceA.post(List.of(new Posting(DurableBanks.ACCOUNT_A, -amount)));
        resourceB.post(List.of(new Posting(DurableBanks.ACCOUNT_B, amount)));
        transactionManager.commit();
    }
}
