package io.clearhouse.bench.micro;

import io.clearhouse.api.Outcome;
import io.clearhouse.bank.memory.MemoryBankAdapter;
import io.clearhouse.bench.CrossBankTransfers;
import io.clearhouse.core.Coordinator;
import io.clearhouse.core.engine.CoordinatorOptions;
import io.clearhouse.core.engine.EmbeddedCoordinator;
import io.clearhouse.core.log.InMemoryDecisionLog;
import io.clearhouse.spi.BankAdapter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A cross-bank transfer through the whole engine with in-memory banks and a discarding decision log, waited for until
 * phase two is acknowledged: the engine's cost per transfer without the batch scheduler and without any I/O. The
 * coordinator is reopened every iteration, so the outcomes it keeps for idempotency do not pile up.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class InMemoryTransferBenchmark {
    private static final long BALANCE = 1_000_000_000_000L;
    private static final int ACCOUNTS_PER_BANK = 10;

    @Param({"2", "1000"})
    public int banks;

    private final AtomicInteger threadNumbers = new AtomicInteger();
    private Map<String, BankAdapter> banksById;
    private Coordinator coordinator;

    @State(Scope.Thread)
    public static class Client {
        private CrossBankTransfers transfers;

        @Setup(Level.Iteration)
        public void start(InMemoryTransferBenchmark benchmark) {
            int thread = benchmark.threadNumbers.incrementAndGet();
            transfers = new CrossBankTransfers(benchmark.banks, ACCOUNTS_PER_BANK, 100, "j" + thread + "-", thread);
        }
    }

    @Setup(Level.Iteration)
    public void open() {
        banksById = new LinkedHashMap<>();
        for (int bank = 0; bank < banks; bank++) {
            Map<String, Long> balances = new LinkedHashMap<>();
            for (int account = 0; account < ACCOUNTS_PER_BANK; account++) {
                balances.put(CrossBankTransfers.accountId(bank, account), BALANCE);
            }
            String bankId = CrossBankTransfers.bankId(bank);
            banksById.put(bankId, MemoryBankAdapter.inMemory(bankId, balances));
        }
        coordinator =
                EmbeddedCoordinator.open(CoordinatorOptions.defaults(), banksById, InMemoryDecisionLog.discarding());
    }

    @TearDown(Level.Iteration)
    public void close() {
        coordinator.close();
        banksById.values().forEach(BankAdapter::close);
    }

    @Benchmark
    public Outcome transfer(Client client) {
        return coordinator.submit(client.transfers.next()).completion().join();
    }
}
