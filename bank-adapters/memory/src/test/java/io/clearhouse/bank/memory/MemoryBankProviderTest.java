package io.clearhouse.bank.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clearhouse.spi.BankAdapter;
import io.clearhouse.spi.BankAdapterRegistry;
import io.clearhouse.spi.BankConfig;
import io.clearhouse.spi.BankException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MemoryBankProviderTest {
    private static final Map<String, Long> BALANCES = Map.of("a", 1L);

    @TempDir
    Path directory;

    @Test
    void isFoundByTheRegistryUnderTypeMemory() {
        BankAdapterRegistry registry = BankAdapterRegistry.load(getClass().getClassLoader());

        assertThat(registry.provider("memory")).isInstanceOf(MemoryBankProvider.class);
    }

    @Test
    void opensAnInMemoryBankWithoutDirectory() {
        try (BankAdapter bank = new MemoryBankProvider().open(new BankConfig("b", BALANCES, Map.of()))) {
            assertThat(bank.nonBlocking()).isTrue();
        }
    }

    @Test
    void opensADurableBankInTheDirectory() {
        Map<String, String> settings = Map.of("directory", directory.toString(), "fsync", "false");
        try (BankAdapter bank = new MemoryBankProvider().open(new BankConfig("b", BALANCES, settings))) {
            assertThat(bank.nonBlocking()).isFalse();
            assertThat(directory.resolve("memory-bank-b.wal")).isRegularFile();
        }
    }

    @Test
    void banksNamingOneGroupShareOneLogThatKeepsBothAcrossReopening() {
        Map<String, String> settings = Map.of("group", directory.toString(), "fsync", "false");
        MemoryBankProvider provider = new MemoryBankProvider();
        BankAdapter first = provider.open(new BankConfig("b1", Map.of("a", 10L), settings));
        BankAdapter second = provider.open(new BankConfig("b2", Map.of("c", 20L), settings));
        io.clearhouse.spi.Xid xid = new io.clearhouse.spi.Xid("1.1", "b1");
        first.prepare(xid, java.util.List.of(new io.clearhouse.api.Posting("a", -4)));
        first.commit(xid);
        first.close();
        second.close();

        assertThat(directory.resolve(MemoryBankGroup.FILE_NAME)).exists();
        assertThat(directory.toFile().list()).containsExactly(MemoryBankGroup.FILE_NAME);
        MemoryBankProvider reopened = new MemoryBankProvider();
        try (BankAdapter again = reopened.open(new BankConfig("b1", Map.of("a", 10L), settings));
                BankAdapter other = reopened.open(new BankConfig("b2", Map.of("c", 20L), settings))) {
            assertThat(again.postedBalances()).isEqualTo(Map.of("a", 6L));
            assertThat(other.postedBalances()).isEqualTo(Map.of("c", 20L));
        }
    }

    @Test
    void refusesADirectoryAndAGroupTogether() {
        assertThatThrownBy(() -> open(Map.of("directory", directory.toString(), "group", directory.toString())))
                .isInstanceOf(BankException.class)
                .hasMessageContaining("group");
    }

    @Test
    void refusesSettingsThatAreNotValuesOfTheirKind() {
        assertThatThrownBy(() -> open(Map.of("directory", directory.toString(), "fsync", "yes")))
                .isInstanceOf(BankException.class)
                .hasMessageContaining("fsync");
        assertThatThrownBy(() -> open(Map.of("finished-xids-max", "0")))
                .isInstanceOf(BankException.class)
                .hasMessageContaining("finished-xids-max");
        assertThatThrownBy(() -> open(Map.of("finished-xids-retention-seconds", "0")))
                .isInstanceOf(BankException.class)
                .hasMessageContaining("finished-xids-retention-seconds");
        assertThatThrownBy(() -> open(Map.of("compaction-records-min", "many")))
                .isInstanceOf(BankException.class)
                .hasMessageContaining("compaction-records-min");
        assertThatThrownBy(() -> open(Map.of("log-growth-bytes-max", "-1")))
                .isInstanceOf(BankException.class)
                .hasMessageContaining("log-growth-bytes-max");
        assertThatThrownBy(() -> open(Map.of("log-record-bytes-max", "1024")))
                .isInstanceOf(BankException.class)
                .hasMessage("bank b: setting log-record-bytes-max must be an integer in 1048576..1073741824: 1024");
        assertThatThrownBy(() -> open(Map.of("log-group-records-max", "0")))
                .isInstanceOf(BankException.class)
                .hasMessageContaining("log-group-records-max");
    }

    @Test
    void boundsTheWriteAheadLogsRecordsByTheSettingOfTheBanksFile() {
        Map<String, Long> manyAccounts = new HashMap<>();
        for (int i = 0; i < 100_000; i++) {
            manyAccounts.put("account-" + i, 1L);
        }
        Map<String, String> smallRecords = Map.of(
                "directory", directory.resolve("small").toString(),
                "fsync", "false",
                "log-record-bytes-max", String.valueOf(MemoryBankOptions.LOG_RECORD_BYTES_MIN));
        Map<String, String> defaults =
                Map.of("directory", directory.resolve("default").toString(), "fsync", "false");

        assertThatThrownBy(() -> new MemoryBankProvider()
                        .open(new BankConfig("b", manyAccounts, smallRecords))
                        .close())
                .as("the opening record of 100,000 accounts is larger than 1 MiB")
                .hasMessageContaining("exceeds recordBytesMax 1048576");
        new MemoryBankProvider()
                .open(new BankConfig("b", manyAccounts, defaults))
                .close();
    }

    @Test
    void readsEverySetting() {
        Map<String, String> settings = Map.of(
                "directory", directory.toString(),
                "fsync", "false",
                "finished-xids-max", "7",
                "finished-xids-retention-seconds", "6",
                "compaction-records-min", "8",
                "log-growth-bytes-max", "9",
                "log-record-bytes-max", "2097152",
                "log-group-records-max", "10");

        MemoryBankOptions options = MemoryBankProvider.options(new BankConfig("b", BALANCES, settings));

        assertThat(options)
                .isEqualTo(new MemoryBankOptions(
                        java.util.Optional.of(directory), false, 7, 6_000, 8, 9, 2 << 20, 10, false));
    }

    private static void open(Map<String, String> settings) {
        new MemoryBankProvider().open(new BankConfig("b", BALANCES, settings)).close();
    }
}
