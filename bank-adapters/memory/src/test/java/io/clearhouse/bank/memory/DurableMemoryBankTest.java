package io.clearhouse.bank.memory;

import static io.clearhouse.spi.BankInvariants.assertAtRest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clearhouse.api.Posting;
import io.clearhouse.api.Reason;
import io.clearhouse.spi.AccountBalance;
import io.clearhouse.spi.BankException;
import io.clearhouse.spi.Vote;
import io.clearhouse.spi.Xid;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DurableMemoryBankTest {
    private static final String BANK = "bank-1";
    private static final Map<String, Long> OPENING = balances("a", 100L, "b", 0L);

    @TempDir
    Path directory;

    @Test
    void preparedHoldsAndPostedBalancesSurviveACrash() throws IOException {
        Path crashCopy = directory.resolve("crash");
        Path live = directory.resolve("live");
        try (MemoryBankAdapter bank = open(live)) {
            bank.prepare(xid("committed"), transfer("a", "b", 30));
            bank.commit(xid("committed"));
            assertThat(bank.prepare(xid("prepared"), transfer("a", "b", 50))).isEqualTo(Vote.COMMIT);
            copyWriteAheadLog(live, crashCopy);
        }
        try (MemoryBankAdapter restored = open(crashCopy)) {
            assertThat(restored.recover()).containsExactly(xid("prepared"));
            assertThat(restored.account("a")).contains(new AccountBalance("a", 70, 50));
            assertThat(restored.account("b")).contains(new AccountBalance("b", 30, 0));
            assertThat(restored.prepare(xid("too-much"), List.of(new Posting("a", -21))))
                    .isEqualTo(Vote.abort(Reason.INSUFFICIENT_FUNDS));
            restored.commit(xid("prepared"));
            assertAtRest(restored, balances("a", 20L, "b", 80L));
        }
    }

    @Test
    void lostLazyCommitRecordBringsTheBranchBackPreparedAndItCommitsOnce() throws IOException {
        Path crashCopy = directory.resolve("crash");
        Path live = directory.resolve("live");
        try (MemoryBankAdapter bank = open(live)) {
            bank.prepare(xid("t1"), transfer("a", "b", 40));
            bank.commit(xid("t1"));
            copyWriteAheadLog(live, crashCopy);
        }
        try (MemoryBankAdapter restored = open(crashCopy)) {
            assertThat(restored.recover()).containsExactly(xid("t1"));
            assertThat(restored.postedBalances()).isEqualTo(OPENING);
            restored.commit(xid("t1"));
            restored.commit(xid("t1"));
            assertAtRest(restored, balances("a", 60L, "b", 40L));
        }
        try (MemoryBankAdapter reopened = open(crashCopy)) {
            assertThat(reopened.prepare(xid("t1"), transfer("a", "b", 40))).isEqualTo(Vote.COMMIT);
            assertAtRest(reopened, balances("a", 60L, "b", 40L));
        }
    }

    @Test
    void commitRecordIsDurableOnceALaterBranchThatSpendsItsCreditIsPrepared() throws IOException {
        Path crashCopy = directory.resolve("crash");
        Path live = directory.resolve("live");
        try (MemoryBankAdapter bank = open(live)) {
            bank.prepare(xid("credit-b"), transfer("a", "b", 40));
            bank.commit(xid("credit-b"));
            assertThat(bank.prepare(xid("spend-b"), List.of(new Posting("b", -40), new Posting("a", 40))))
                    .isEqualTo(Vote.COMMIT);
            copyWriteAheadLog(live, crashCopy);
        }
        try (MemoryBankAdapter restored = open(crashCopy)) {
            assertThat(restored.recover()).containsExactly(xid("spend-b"));
            assertThat(restored.account("b")).contains(new AccountBalance("b", 40, 40));
            restored.rollback(xid("spend-b"));
            assertAtRest(restored, balances("a", 60L, "b", 40L));
        }
    }

    @Test
    void dropsATornLastRecordOfTheWriteAheadLogAtAnyLength() throws IOException {
        Path live = directory.resolve("live");
        long sizeBeforeLastPrepare;
        try (MemoryBankAdapter bank = open(live)) {
            bank.prepare(xid("kept"), transfer("a", "b", 10));
            bank.commit(xid("kept"));
            bank.prepare(xid("flush"), List.of(new Posting("a", -1)));
            sizeBeforeLastPrepare = Files.size(live.resolve(WriteAheadLog.fileName(BANK)));
            bank.prepare(xid("torn"), transfer("a", "b", 20));
        }
        Path wal = live.resolve(WriteAheadLog.fileName(BANK));
        byte[] full = Files.readAllBytes(wal);
        for (long cut = sizeBeforeLastPrepare; cut < full.length; cut++) {
            Path torn = directory.resolve("torn-" + cut);
            Files.createDirectories(torn);
            Files.write(torn.resolve(wal.getFileName()), java.util.Arrays.copyOf(full, (int) cut));
            try (MemoryBankAdapter restored = open(torn)) {
                assertThat(restored.recover()).containsExactly(xid("flush"));
                assertThat(restored.account("a")).contains(new AccountBalance("a", 90, 1));
                restored.rollback(xid("flush"));
                assertAtRest(restored, balances("a", 90L, "b", 10L));
            }
        }
    }

    @Test
    void rollbackBeforePrepareIsRememberedAcrossReopen() {
        try (MemoryBankAdapter bank = open(directory)) {
            bank.rollback(xid("timed-out"));
        }
        try (MemoryBankAdapter reopened = open(directory)) {
            assertThat(reopened.prepare(xid("timed-out"), transfer("a", "b", 1)))
                    .isEqualTo(Vote.abort(Reason.TIMEOUT));
            assertAtRest(reopened, OPENING);
        }
    }

    @Test
    void restoredPreparedBranchRollsBackEvenAfterAnEarlierTombstoneForItsXid() {
        Account[] accounts = {new Account("a", 100)};
        try (WriteAheadLog log = WriteAheadLog.open(
                BANK, directory, MemoryBankOptions.durable(directory, false).withLogGrowthBytesMax(Long.MAX_VALUE))) {
            log.logOpening(OPENING);
            log.logRollback(xid("raced"));
            log.logPrepare(xid("raced"), accounts, new long[] {-30});
        }
        try (MemoryBankAdapter restored = open(directory)) {
            assertThat(restored.recover()).containsExactly(xid("raced"));
            assertThat(restored.account("a")).contains(new AccountBalance("a", 100, 30));
            restored.rollback(xid("raced"));
            assertAtRest(restored, OPENING);
        }
    }

    @Test
    void laterOpensIgnoreOpeningBalancesAndKeepTheLoggedOnes() {
        try (MemoryBankAdapter bank = open(directory)) {
            bank.prepare(xid("t1"), transfer("a", "b", 100));
            bank.commit(xid("t1"));
        }
        try (MemoryBankAdapter reopened =
                MemoryBankAdapter.durable(BANK, balances("a", 7L, "c", 9L), directory, false)) {
            assertThat(reopened.accounts()).containsExactly("a", "b");
            assertAtRest(reopened, balances("a", 0L, "b", 100L));
        }
    }

    @Test
    void refusesTheWriteAheadLogOfAnotherBank() throws IOException {
        try (MemoryBankAdapter bank = open(directory)) {
            bank.prepare(xid("t1"), transfer("a", "b", 1));
        }
        Files.move(directory.resolve(WriteAheadLog.fileName(BANK)), directory.resolve(WriteAheadLog.fileName("other")));
        assertThatThrownBy(() -> MemoryBankAdapter.durable("other", OPENING, directory, false))
                .isInstanceOf(BankException.class)
                .hasMessageContaining("belongs to bank " + BANK);
    }

    @Test
    void banksSharingADirectoryKeepSeparateLogs() {
        try (MemoryBankAdapter first = open(directory);
                MemoryBankAdapter second = MemoryBankAdapter.durable("bank/2", balances("z", 5L), directory, false)) {
            first.prepare(xid("t1"), transfer("a", "b", 1));
            second.prepare(new Xid("t1", "bank/2"), List.of(new Posting("z", -5)));
            assertThat(directory.resolve("memory-bank-bank%2F2.wal")).isRegularFile();
        }
        try (MemoryBankAdapter first = open(directory);
                MemoryBankAdapter second = MemoryBankAdapter.durable("bank/2", Map.of(), directory, false)) {
            assertThat(first.recover()).containsExactly(xid("t1"));
            assertThat(second.recover()).containsExactly(new Xid("t1", "bank/2"));
            assertThat(second.account("z")).contains(new AccountBalance("z", 5, 5));
        }
    }

    @Test
    void aSecondOpenOfTheSameBankFailsWhileTheFirstIsOpen() {
        try (MemoryBankAdapter bank = open(directory)) {
            assertThatThrownBy(() -> open(directory))
                    .isInstanceOf(BankException.class)
                    .hasMessageContaining("already open");
            assertThat(bank.prepare(xid("t1"), transfer("a", "b", 1))).isEqualTo(Vote.COMMIT);
        }
    }

    @Test
    void compactsTheLogAtOpenAndKeepsBalancesHoldsAndFinishedXids() throws IOException {
        MemoryBankOptions options = MemoryBankOptions.durable(directory, false).withCompactionRecordsMin(10);
        Path wal = directory.resolve(WriteAheadLog.fileName(BANK));
        try (MemoryBankAdapter bank = MemoryBankAdapter.open(BANK, OPENING, options)) {
            for (int i = 0; i < 30; i++) {
                bank.prepare(xid("t" + i), transfer("a", "b", 1));
                bank.commit(xid("t" + i));
            }
            bank.rollback(xid("timed-out"));
            bank.prepare(xid("prepared"), transfer("a", "b", 5));
        }
        long sizeBefore = Files.size(wal);
        Files.write(directory.resolve(wal.getFileName() + ".compacting"), new byte[] {1, 2, 3});
        try (MemoryBankAdapter compacted = MemoryBankAdapter.open(BANK, OPENING, options)) {
            assertThat(Files.size(wal)).isLessThan(sizeBefore);
            assertCompactedState(compacted);
        }
        try (MemoryBankAdapter reopened = MemoryBankAdapter.open(BANK, OPENING, options)) {
            assertCompactedState(reopened);
            reopened.commit(xid("prepared"));
            assertAtRest(reopened, balances("a", 65L, "b", 35L));
        }
    }

    @Test
    void compactsTheLogWhileRunningAndKeepsItBounded() throws IOException {
        MemoryBankOptions options = MemoryBankOptions.durable(directory, false).withLogGrowthBytesMax(4096);
        Path wal = directory.resolve(WriteAheadLog.fileName(BANK));
        Map<String, Long> opening = balances("a", 10_000L, "b", 0L);
        try (MemoryBankAdapter bank = MemoryBankAdapter.open(BANK, opening, options)) {
            long forcesBefore = bank.forcedWrites();
            for (int i = 0; i < 2_000; i++) {
                bank.prepare(xid("t" + i), transfer("a", "b", 1));
                if (i % 2 == 0) {
                    bank.commit(xid("t" + i));
                } else {
                    bank.rollback(xid("t" + i));
                }
                assertThat(Files.size(wal)).isLessThan(4096 + 64 * 1024);
            }
            assertThat(bank.prepare(xid("prepared"), transfer("a", "b", 5))).isEqualTo(Vote.COMMIT);
            assertThat(bank.forcedWrites()).isGreaterThanOrEqualTo(forcesBefore);
        }
        try (MemoryBankAdapter reopened = MemoryBankAdapter.open(BANK, opening, options)) {
            assertThat(reopened.recover()).containsExactly(xid("prepared"));
            assertThat(reopened.prepare(xid("t1998"), transfer("a", "b", 1))).isEqualTo(Vote.COMMIT);
            assertThat(reopened.prepare(xid("t1999"), transfer("a", "b", 1))).isEqualTo(Vote.abort(Reason.TIMEOUT));
            reopened.rollback(xid("prepared"));
            assertAtRest(reopened, balances("a", 9_000L, "b", 1_000L));
        }
    }

    private static void assertCompactedState(MemoryBankAdapter bank) {
        assertThat(bank.recover()).containsExactly(xid("prepared"));
        assertThat(bank.account("a")).contains(new AccountBalance("a", 70, 5));
        assertThat(bank.account("b")).contains(new AccountBalance("b", 30, 0));
        assertThat(bank.prepare(xid("t3"), transfer("a", "b", 1))).isEqualTo(Vote.COMMIT);
        assertThat(bank.prepare(xid("timed-out"), transfer("a", "b", 1))).isEqualTo(Vote.abort(Reason.TIMEOUT));
        assertThat(bank.account("a")).contains(new AccountBalance("a", 70, 5));
    }

    @Test
    void prepareThatCannotBeLoggedFailsAndHoldsNothing() {
        try (MemoryBankAdapter bank = open(directory)) {
            bank.writeAheadLog().close();

            assertThatThrownBy(() -> bank.prepare(xid("t1"), transfer("a", "b", 10)))
                    .isInstanceOf(BankException.class)
                    .hasMessageContaining("write-ahead log failed");

            assertThat(bank.recover()).isEmpty();
            assertThat(bank.account("a")).contains(new AccountBalance("a", 100, 0));
            assertThat(bank.postedBalances()).isEqualTo(OPENING);
        }
    }

    @Test
    void closedBankRefusesCalls() {
        MemoryBankAdapter bank = open(directory);
        bank.close();
        assertThatThrownBy(() -> bank.prepare(xid("t1"), transfer("a", "b", 1))).isInstanceOf(BankException.class);
        assertThatThrownBy(() -> bank.commit(xid("t1"))).isInstanceOf(BankException.class);
        bank.close();
    }

    private MemoryBankAdapter open(Path bankDirectory) {
        return MemoryBankAdapter.durable(BANK, OPENING, bankDirectory, false);
    }

    /** Copies the log as the disk holds it now: what a crash at this instant would leave. */
    private static void copyWriteAheadLog(Path bankDirectory, Path crashDirectory) throws IOException {
        Path wal = bankDirectory.resolve(WriteAheadLog.fileName(BANK));
        Files.createDirectories(crashDirectory);
        Files.copy(wal, crashDirectory.resolve(wal.getFileName()));
    }

    static Xid xid(String transactionId) {
        return new Xid(transactionId, BANK);
    }

    static List<Posting> transfer(String from, String to, long amount) {
        return List.of(new Posting(from, -amount), new Posting(to, amount));
    }

    static Map<String, Long> balances(Object... accountsAndBalances) {
        Map<String, Long> balances = new LinkedHashMap<>();
        for (int i = 0; i < accountsAndBalances.length; i += 2) {
            balances.put((String) accountsAndBalances[i], (Long) accountsAndBalances[i + 1]);
        }
        return balances;
    }
}
