package io.clearhouse.bench.micro;

import io.clearhouse.api.batch.BatchFileParser;
import io.clearhouse.api.batch.BatchLine;
import java.io.BufferedReader;
import java.io.StringReader;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** Lines per second through the batch file parser, the single-threaded first stage of every batch. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class BatchFileParserBenchmark {
    private static final int LINES = 10_000;

    private String text;

    @Setup
    public void write() {
        SplittableRandom random = new SplittableRandom(42);
        StringBuilder builder = new StringBuilder(BatchFileParser.HEADER).append('\n');
        for (int line = 0; line < LINES; line++) {
            builder.append('t').append(line).append(',');
            builder.append(1 + random.nextInt(1000))
                    .append('-')
                    .append(random.nextInt(10))
                    .append(',');
            builder.append(1 + random.nextInt(1000))
                    .append('-')
                    .append(random.nextInt(10))
                    .append(',');
            builder.append(1 + random.nextInt(1000)).append('\n');
        }
        text = builder.toString();
    }

    @Benchmark
    @OperationsPerInvocation(LINES)
    public BatchLine parse() throws Exception {
        BatchFileParser parser = new BatchFileParser();
        BatchLine last = null;
        try (BufferedReader reader = new BufferedReader(new StringReader(text))) {
            String line;
            while ((line = reader.readLine()) != null) {
                BatchLine parsed = parser.next(line);
                last = parsed == null ? last : parsed;
            }
        }
        return last;
    }
}
