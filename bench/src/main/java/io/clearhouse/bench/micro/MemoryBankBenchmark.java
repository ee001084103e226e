package io.clearhouse.bench.micro;

import io.clearhouse.api.Posting;
import io.clearhouse.bank.memory.MemoryBankAdapter;
import io.clearhouse.spi.Vote;
import io.clearhouse.spi.Xid;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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
 * One in-memory bank's share of a transfer: prepare a branch that debits one account and credits another, then
 * commit it. Twice this cost per transfer is the floor under the in-memory batch.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class MemoryBankBenchmark {
    private static final long BALANCE = 1_000_000_000_000L;

    @Param({"1000"})
    public int accounts;

    private final AtomicLong sequence = new AtomicLong();
    private MemoryBankAdapter bank;

    @State(Scope.Thread)
    public static class Picker {
        private final SplittableRandom random = new SplittableRandom(42);
    }

    @Setup(Level.Iteration)
    public void open() {
        Map<String, Long> balances = new LinkedHashMap<>();
        for (int account = 0; account < accounts; account++) {
            balances.put("a" + account, BALANCE);
        }
        bank = MemoryBankAdapter.inMemory("1", balances);
    }

    @TearDown(Level.Iteration)
    public void close() {
        bank.close();
    }

    @Benchmark
    public Vote prepareAndCommit(Picker picker) {
        int from = picker.random.nextInt(accounts);
        int to = (from + 1 + picker.random.nextInt(accounts - 1)) % accounts;
        Xid xid = new Xid("x" + sequence.incrementAndGet(), "1");
        Vote vote = bank.prepare(xid, List.of(new Posting("a" + from, -1), new Posting("a" + to, 1)));
        bank.commit(xid);
        return vote;
    }
}
