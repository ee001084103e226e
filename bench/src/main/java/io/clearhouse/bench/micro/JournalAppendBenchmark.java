package io.clearhouse.bench.micro;

import io.clearhouse.journal.Journal;
import io.clearhouse.journal.JournalOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Durable appends to one journal from many threads: the ceiling group commit puts on every log above it (a bank's
 * write-ahead log, the decision log). Each thread waits for its own record to be forced, as a prepare does.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
@Fork(1)
@Threads(64)
public class JournalAppendBenchmark {
    @Param({"true", "false"})
    public boolean fsync;

    @Param({"64"})
    public int recordBytes;

    private Path directory;
    private Journal journal;
    private byte[] record;

    @Setup(Level.Trial)
    public void open() throws IOException {
        Files.createDirectories(Path.of("target", "jmh"));
        directory = Files.createTempDirectory(Path.of("target", "jmh"), "journal");
        journal = Journal.open(
                directory.resolve("bench.journal"), JournalOptions.defaults().withFsync(fsync));
        record = new byte[recordBytes];
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        journal.close();
        Files.delete(journal.file());
        Files.delete(directory);
    }

    @Benchmark
    public void appendDurably() {
        journal.appendDurably(record).join();
    }
}
