package io.clearhouse.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the durable benchmark on a tiny, count-bounded load: every transfer must get an outcome, and the run itself
 * checks that money was conserved and no branch left prepared when it closes the engine (it throws otherwise).
 */
class DurableTransferBenchmarkTest {
    @TempDir
    Path directory;

    @Test
    void everyTransferGetsAnOutcomeAndTheInvariantsHold() throws Exception {
        Arguments arguments = Arguments.parse(
                new String[] {
                    "--warmup-seconds", "0",
                    "--measure-seconds", "60",
                    "--transactions-max", "300",
                    "--accounts-per-bank", "5",
                    "--dir", directory.toString()
                },
                DurableTransferBenchmark.DEFAULTS);

        LoadResult result = DurableTransferBenchmark.runOnce(arguments, 3, 4);

        assertThat(result.failed()).isZero();
        assertThat(result.committed()).isPositive();
        assertThat(result.committed() + result.aborted()).isEqualTo(300);
        assertThat(result.latencyMicros().getTotalCount()).isEqualTo(result.committed() + result.aborted());
        assertThat(result.messagesPerTransaction()).isGreaterThanOrEqualTo(2.0);
        assertThat(result.forcedWritesPerTransaction()).isPositive();
    }
}
