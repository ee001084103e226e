package io.clearhouse.xa;

import static io.clearhouse.spi.BankInvariants.assertAtRest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clearhouse.api.Posting;
import io.clearhouse.bank.memory.MemoryBankAdapter;
import jakarta.transaction.RollbackException;
import jakarta.transaction.Transaction;
import jakarta.transaction.TransactionManager;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Narayana as the transaction manager of transfers between two Clearhouse banks, each behind the bridge. */
class NarayanaTransfersIT {
    @TempDir
    static Path objectStore;

    private static TransactionManager transactionManager;

    private final MemoryBankAdapter bankA = MemoryBankAdapter.inMemory("bank-a", balances("a", 100, 100));
    private final MemoryBankAdapter bankB = MemoryBankAdapter.inMemory("bank-b", balances("b", 100, 100));
    private final ParticipantXAResource resourceA = new ParticipantXAResource(bankA);
    private final ParticipantXAResource resourceB = new ParticipantXAResource(bankB);

    @BeforeAll
    static void startNarayana() throws Exception {
        transactionManager = NarayanaStandalone.start(objectStore);
    }

    @AfterEach
    void closeBanks() {
        bankA.close();
        bankB.close();
    }

    @Test
    void commitsATransferAcrossTwoBanks() throws Exception {
        transfer(30);
        transactionManager.commit();

        assertAtRest(bankA, balances("a", 70, 100));
        assertAtRest(bankB, balances("b", 130, 100));
    }

    @Test
    void rollsBackATransferAcrossTwoBanks() throws Exception {
        transfer(30);
        transactionManager.rollback();

        assertAtRest(bankA, balances("a", 100, 100));
        assertAtRest(bankB, balances("b", 100, 100));
    }

    @Test
    void aNoVoteAtOneBankRollsBackThePreparedOther() throws Exception {
        transactionManager.begin();
        enlist(resourceA, resourceB);
        resourceA.post(List.of(new Posting("a-1", -30)));
        // Bank B holds no account b-9: it votes NO after bank A, enlisted first, has prepared and holds the debit.
        resourceB.post(List.of(new Posting("b-9", 30)));

        assertThatThrownBy(transactionManager::commit).isInstanceOf(RollbackException.class);
        assertAtRest(bankA, balances("a", 100, 100));
        assertAtRest(bankB, balances("b", 100, 100));
    }

    @Test
    void aTransferWithinOneBankCommitsInOnePhase() throws Exception {
        transactionManager.begin();
        enlist(resourceA);
        resourceA.post(List.of(new Posting("a-1", -30), new Posting("a-2", 30)));
        transactionManager.commit();

        assertAtRest(bankA, balances("a", 70, 130));
    }

    /** Begins a transaction that moves {@code amount} from a-1 at bank A to b-1 at bank B, up to the commit. */
    private void transfer(long amount) throws Exception {
        transactionManager.begin();
        enlist(resourceA, resourceB);
        resourceA.post(List.of(new Posting("a-1", -amount)));
        resourceB.post(List.of(new Posting("b-1", amount)));
    }

    private void enlist(ParticipantXAResource... resources) throws Exception {
        Transaction transaction = transactionManager.getTransaction();
        for (ParticipantXAResource resource : resources) {
            assertThat(transaction.enlistResource(resource)).isTrue();
        }
    }

    private static Map<String, Long> balances(String prefix, long first, long second) {
        Map<String, Long> balances = new LinkedHashMap<>();
        balances.put(prefix + "-1", first);
        balances.put(prefix + "-2", second);
        return balances;
    }
}
