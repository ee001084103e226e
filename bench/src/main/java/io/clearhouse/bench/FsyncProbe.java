package io.clearhouse.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.HdrHistogram.Histogram;

/**
 * Measures what one forced write costs on the disk under the data directory: append a small record, then
 * {@link FileChannel#force(boolean) force} it, as a write-ahead log without group commit would. Durable throughput
 * beyond the reciprocal of this cost comes only from group commit, so the figure frames every durable result.
 */
public final class FsyncProbe {
    private static final long MICROS_MAX = 10_000_000;

    private FsyncProbe() {}

    public static void main(String[] args) throws IOException {
        Arguments arguments = Arguments.parse(
                args, Arguments.defaults("dir", "target/bench-data/fsync", "writes", "2000", "record-bytes", "64"));
        Histogram micros = probe(arguments.path("dir"), arguments.integer("writes"), arguments.integer("record-bytes"));
        System.out.printf(
                "fsync probe: %d forced appends of %d bytes: mean %.0f us, p50 %d us, p99 %d us, max %d us,"
                        + " %.0f forced writes/s (%s)%n",
                micros.getTotalCount(),
                arguments.integer("record-bytes"),
                micros.getMean(),
                micros.getValueAtPercentile(50),
                micros.getValueAtPercentile(99),
                micros.getMaxValue(),
                1e6 / micros.getMean(),
                arguments.describe());
    }

    static Histogram probe(Path directory, int writes, int recordBytes) throws IOException {
        Files.createDirectories(directory);
        Path file = directory.resolve("probe.log");
        Histogram micros = new Histogram(MICROS_MAX, 3);
        ByteBuffer record = ByteBuffer.allocate(recordBytes);
        try (FileChannel channel = FileChannel.open(
                file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            for (int i = 0; i < writes; i++) {
                record.clear();
                long start = System.nanoTime();
                channel.write(record);
                channel.force(false);
                micros.recordValue(Math.min(MICROS_MAX, (System.nanoTime() - start) / 1000));
            }
        } finally {
            Files.deleteIfExists(file);
        }
        return micros;
    }
}
