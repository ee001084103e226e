package io.clearhouse.bank.memory;

import io.clearhouse.spi.BankAdapter;
import io.clearhouse.spi.BankAdapterRegistry;
import io.clearhouse.spi.BankConfig;
import io.clearhouse.spi.DurableBankAdapterContract;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;

/** The conformance kit against the memory bank with a write-ahead log, fsync on, opened through the registry. */
class DurableMemoryBankConformanceTest extends DurableBankAdapterContract {
    @TempDir
    Path directory;

    @Override
    protected BankAdapter open(String bankId, Map<String, Long> initialBalances) {
        Map<String, String> settings = Map.of(MemoryBankProvider.DIRECTORY, directory.toString());
        return BankAdapterRegistry.load(getClass().getClassLoader())
                .open(MemoryBankProvider.TYPE, new BankConfig(bankId, initialBalances, settings));
    }

    @Override
    protected BankAdapter reopen(String bankId, Map<String, Long> initialBalances) {
        return open(bankId, initialBalances);
    }
}
