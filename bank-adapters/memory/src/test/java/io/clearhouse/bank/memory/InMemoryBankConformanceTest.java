package io.clearhouse.bank.memory;

import io.clearhouse.spi.BankAdapter;
import io.clearhouse.spi.BankAdapterContract;
import io.clearhouse.spi.BankAdapterRegistry;
import io.clearhouse.spi.BankConfig;
import java.util.Map;

/** The conformance kit against the memory bank without a directory, opened through the provider registry. */
class InMemoryBankConformanceTest extends BankAdapterContract {
    @Override
    protected BankAdapter open(String bankId, Map<String, Long> initialBalances) {
        return BankAdapterRegistry.load(getClass().getClassLoader())
                .open(MemoryBankProvider.TYPE, new BankConfig(bankId, initialBalances, Map.of()));
    }
}
