package io.clearhouse.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Runs the durable benchmark on a tiny, count-bounded load with each kind of client: every transfer must get an
 * outcome, and the run itself checks that money was conserved and no branch left prepared when it closes the engine
 * (it throws otherwise).
 */
class DurableTransferBenchmarkTest {
    @TempDir
    Path directory;

    @ParameterizedTest
    @EnumSource(ClientMode.class)
    void everyTransferGetsAnOutcomeAndTheInvariantsHold(ClientMode mode) throws Exception {
        Arguments arguments = Arguments.parse(
                new String[] {
                    "--warmup-seconds", "0",
                    "--measure-seconds", "60",
                    "--transactions-max", "300",
                    "--accounts-per-bank", "5",
                    "--dir", directory.toString()
                },
                DurableTransferBenchmark.DEFAULTS);

        LoadResult result = DurableTransferBenchmark.runOnce(arguments, 3, 4, mode, "file");

        assertThat(result.failed()).isZero();
        assertThat(result.committed()).isPositive();
        assertThat(result.committed() + result.aborted()).isEqualTo(300);
        assertThat(result.latencyMicros().getTotalCount()).isEqualTo(result.committed() + result.aborted());
        assertThat(result.messagesPerTransaction()).isGreaterThanOrEqualTo(2.0);
        assertThat(result.forcedWritesPerTransaction()).isPositive();
    }
}
