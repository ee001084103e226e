package io.clearhouse.bank.example;

import io.clearhouse.spi.BankAdapter;
import io.clearhouse.spi.BankAdapterRegistry;
import io.clearhouse.spi.BankConfig;
import io.clearhouse.spi.DurableBankAdapterContract;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole conformance kit, the durable part included, against the example bank opened through the registry, as
 * the server opens it: so the services file is tested too.
 */
class ExampleBankConformanceTest extends DurableBankAdapterContract {
    @TempDir
    Path directory;

    @Override
    protected BankAdapter open(String bankId, Map<String, Long> initialBalances) {
        Map<String, String> settings =
                Map.of(ExampleBankProvider.FILE, directory.resolve("bank.txt").toString());
        return BankAdapterRegistry.load(getClass().getClassLoader())
                .open(ExampleBankProvider.TYPE, new BankConfig(bankId, initialBalances, settings));
    }

    @Override
    protected BankAdapter reopen(String bankId, Map<String, Long> initialBalances) {
        return open(bankId, initialBalances);
    }
}
