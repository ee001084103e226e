package io.clearhouse.bank.memory;

import io.clearhouse.spi.BankAdapter;
import io.clearhouse.spi.DurableBankAdapterContract;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;

/**
 * The conformance kit against a memory bank of a {@link MemoryBankGroup} whose shared file is compacted while it runs
 * after every few hundred bytes, so that the group's snapshots fall between the calls of the kit's concurrent load;
 * fsync off to keep it fast.
 */
class CompactingGroupMemoryBankConformanceTest extends DurableBankAdapterContract {
    private static final long LOG_GROWTH_BYTES_MAX = 300;

    @TempDir
    Path directory;

    @Override
    protected BankAdapter open(String bankId, Map<String, Long> initialBalances) {
        MemoryBankOptions options =
                MemoryBankOptions.durable(directory, false).withLogGrowthBytesMax(LOG_GROWTH_BYTES_MAX);
        return MemoryBankGroup.open(options).bank(bankId, initialBalances);
    }

    @Override
    protected BankAdapter reopen(String bankId, Map<String, Long> initialBalances) {
        return open(bankId, initialBalances);
    }
}
