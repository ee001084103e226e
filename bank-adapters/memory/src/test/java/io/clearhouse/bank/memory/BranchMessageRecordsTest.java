package io.clearhouse.bank.memory;

import static io.clearhouse.spi.BankInvariants.assertAtRest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clearhouse.api.Posting;
import io.clearhouse.api.Reason;
import io.clearhouse.spi.BranchPrepare;
import io.clearhouse.spi.Vote;
import io.clearhouse.spi.Xid;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A durable memory bank logs each message of many branches in one record, and reads such records back. */
class BranchMessageRecordsTest {
    private static final String BANK = "bank-1";

    @TempDir
    Path directory;

    private static Map<String, Long> opening() {
        return balances(100, 0);
    }

    private static Map<String, Long> balances(long a, long b) {
        Map<String, Long> balances = new LinkedHashMap<>();
        balances.put("a", a);
        balances.put("b", b);
        return balances;
    }

    private static Xid xid(String transactionId) {
        return new Xid(transactionId, BANK);
    }

    private static BranchPrepare debit(String transactionId, String account, long amount) {
        return new BranchPrepare(xid(transactionId), List.of(new Posting(account, -amount), new Posting("b", amount)));
    }

    private List<WalRecord> records() {
        try (LogFile file = LogFile.open(
                directory.resolve(WriteAheadLog.fileName(BANK)),
                MemoryBankOptions.durable(directory, false).withLogGrowthBytesMax(Long.MAX_VALUE))) {
            List<WalRecord> records = new ArrayList<>();
            file.recoveredRecords().forEach(bytes -> records.add(WalCodec.decode(bytes)));
            return records;
        }
    }

    @Test
    void forcesOneRecordPerPrepareMessageHoldingOnlyTheBranchesThatReserved() {
        List<Vote> votes;
        long forces;
        try (MemoryBankAdapter bank = MemoryBankAdapter.durable(BANK, opening(), directory, true)) {
            long before = bank.forcedWrites();
            votes = bank.prepareMany(List.of(
                            debit("t1", "a", 30),
                            debit("t2", "a", 80),
                            debit("t3", "a", 30),
                            debit("t4", "nowhere", 1),
                            debit("t5", "a", 40)))
                    .toCompletableFuture()
                    .join();
            forces = bank.forcedWrites() - before;
        }

        assertThat(votes)
                .containsExactly(
                        Vote.COMMIT,
                        Vote.abort(Reason.INSUFFICIENT_FUNDS),
                        Vote.COMMIT,
                        Vote.abort(Reason.UNKNOWN_ACCOUNT),
                        Vote.COMMIT);
        assertThat(forces).isEqualTo(1);
        List<WalRecord> records = records();
        assertThat(records).hasSize(2);
        assertThat(((WalRecord.PrepareMany) records.get(1))
                        .branches().stream().map(WalRecord.Prepare::xid).toList())
                .containsExactlyInAnyOrder(xid("t1"), xid("t3"), xid("t5"));
    }

    @Test
    void logsOneRecordPerCommitOrRollbackMessage() {
        try (MemoryBankAdapter bank = MemoryBankAdapter.durable(BANK, opening(), directory, false)) {
            bank.prepareMany(List.of(debit("t1", "a", 10), debit("t2", "a", 20), debit("t3", "a", 30)))
                    .toCompletableFuture()
                    .join();
            bank.commitMany(List.of(xid("t1"), xid("t3"), xid("unknown")))
                    .toCompletableFuture()
                    .join();
            bank.rollbackMany(List.of(xid("t2"), xid("never-prepared")))
                    .toCompletableFuture()
                    .join();
        }

        List<WalRecord> records = records();
        assertThat(records).hasSize(4);
        assertThat(((WalRecord.CommitMany) records.get(2)).xids()).containsExactlyInAnyOrder(xid("t1"), xid("t3"));
        assertThat(((WalRecord.RollbackMany) records.get(3)).xids())
                .containsExactlyInAnyOrder(xid("t2"), xid("never-prepared"));
        try (MemoryBankAdapter reopened = MemoryBankAdapter.durable(BANK, opening(), directory, false)) {
            assertAtRest(reopened, balances(60, 40));
            assertThat(reopened.prepare(xid("never-prepared"), List.of(new Posting("a", -1), new Posting("b", 1))))
                    .isEqualTo(Vote.abort(Reason.TIMEOUT));
        }
    }

    @Test
    void encodesAndDecodesRecordsOfManyBranches() {
        WalRecord.PrepareMany prepares = new WalRecord.PrepareMany(List.of(
                new WalRecord.Prepare(xid("t1"), List.of(new Posting("a", -5))),
                new WalRecord.Prepare(xid("t2"), List.of(new Posting("a", -1), new Posting("b", 1)))));
        WalRecord.CommitMany commits = new WalRecord.CommitMany(List.of(xid("t1"), xid("t2")));
        WalRecord.RollbackMany rollbacks = new WalRecord.RollbackMany(List.of(xid("t3")));

        for (WalRecord record : List.of(prepares, commits, rollbacks)) {
            assertThat(WalCodec.decode(WalCodec.encode(record))).isEqualTo(record);
            assertThat(WalCodec.decodeTagged(WalCodec.encodeTagged(BANK, record)))
                    .isEqualTo(new WalCodec.Tagged(BANK, record));
        }
        assertThatThrownBy(() -> WalCodec.encode(new WalRecord.CommitMany(List.of())))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aBranchPrepareEncodedFromItsArraysIsTheRecordOfItsPostings() {
        Account[] accounts = {new Account("a", 10), new Account("b", 0)};
        long[] amounts = {-5, 5};
        WalRecord.Prepare record = new WalRecord.Prepare(xid("t1"), List.of(new Posting("a", -5), new Posting("b", 5)));

        assertThat(WalCodec.encodePrepare(null, xid("t1"), accounts, amounts)).isEqualTo(WalCodec.encode(record));
        assertThat(WalCodec.encodePrepare(BANK, xid("t1"), accounts, amounts))
                .isEqualTo(WalCodec.encodeTagged(BANK, record));
    }

    @Test
    void aGroupReplaysTheMessagesOfItsBanksFromTheSharedFile() {
        try (MemoryBankGroup group = MemoryBankGroup.open(directory, false)) {
            MemoryBankAdapter bank = group.bank(BANK, opening());
            bank.prepareMany(List.of(debit("t1", "a", 10), debit("t2", "a", 20), debit("t3", "a", 30)))
                    .toCompletableFuture()
                    .join();
            bank.commitMany(List.of(xid("t1"))).toCompletableFuture().join();
            bank.rollbackMany(List.of(xid("t2"))).toCompletableFuture().join();
        }
        try (MemoryBankGroup group = MemoryBankGroup.open(directory, false)) {
            MemoryBankAdapter bank = group.bank(BANK, opening());
            assertThat(bank.recover()).containsExactly(xid("t3"));
            bank.commitMany(List.of(xid("t3"))).toCompletableFuture().join();
            assertAtRest(bank, balances(60, 40));
        }
    }
}
