package io.clearhouse.bank.memory;

import io.clearhouse.spi.BankAdapter;
import io.clearhouse.spi.DurableBankAdapterContract;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;

/**
 * The conformance kit against a memory bank that shares its write-ahead log with a {@link MemoryBankGroup}, fsync on.
 * Each open is a new group on the same directory; closing the bank, the group's only one, closes the shared file.
 */
class GroupMemoryBankConformanceTest extends DurableBankAdapterContract {
    @TempDir
    Path directory;

    @Override
    protected BankAdapter open(String bankId, Map<String, Long> initialBalances) {
        return MemoryBankGroup.open(directory, true).bank(bankId, initialBalances);
    }

    @Override
    protected BankAdapter reopen(String bankId, Map<String, Long> initialBalances) {
        return open(bankId, initialBalances);
    }
}
