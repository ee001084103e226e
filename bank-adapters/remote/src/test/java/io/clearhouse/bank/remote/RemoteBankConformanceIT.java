package io.clearhouse.bank.remote;

import io.clearhouse.bankserver.BankServerProcess;
import io.clearhouse.spi.BankAdapter;
import io.clearhouse.spi.BankConfig;
import io.clearhouse.spi.DurableBankAdapterContract;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The conformance kit, unchanged, against a real bank-server process. Each test opens a bank with opening balances of
 * its own, which a server takes from its state file at start, so each test starts a server of its own; reopening
 * stops the server with SIGTERM (the kit closes a bank before it reopens it, which is what a clean stop is) and starts
 * it again on the same data directory, with the opening balances the kit gives, which a restored bank ignores. The
 * log is not forced (fsync off): no test here loses power. {@code BankServerCrashIT} kills with SIGKILL instead.
 */
class RemoteBankConformanceIT extends DurableBankAdapterContract {
    @TempDir
    Path directory;

    private final List<BankServerProcess> servers = new ArrayList<>();
    private final RemoteBankProvider provider = new RemoteBankProvider();

    @Override
    protected BankAdapter open(String bankId, Map<String, Long> initialBalances) {
        Path state = StateFiles.write(directory.resolve("state.json"), Map.of(bankId, initialBalances));
        BankServerProcess server =
                BankServerProcess.start(state, directory.resolve("bank-data"), "--fsync", "false", "--threads", "4");
        servers.add(server);
        return provider.open(
                new BankConfig(bankId, Map.of(), Map.of("url", server.url().toString())));
    }

    @Override
    protected BankAdapter reopen(String bankId, Map<String, Long> initialBalances) {
        BankServerProcess previous = servers.get(servers.size() - 1);
        if (previous.stop() != 0) {
            throw new AssertionError("the bank server did not stop cleanly: " + previous.standardError());
        }
        return open(bankId, initialBalances);
    }

    @AfterEach
    void stopServers() {
        servers.forEach(BankServerProcess::close);
    }
}
