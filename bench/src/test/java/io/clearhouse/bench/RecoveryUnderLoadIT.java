package io.clearhouse.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A durable embedded coordinator (file decision log, memory banks sharing one write-ahead log, fsync on) killed with
 * SIGKILL in a process of its own while at least 2,000 transfers are in flight, then recovered by a new process on the
 * same directory, as {@code bench/run.sh recovery-time} does but untimed. Balances are small, so that some transfers
 * abort for want of funds and their told aborts are checked too. The recovering process fails unless every outcome
 * the killed one told is still the recorded one, money is conserved and no branch is left prepared once recovery and
 * one new transfer are done.
 */
class RecoveryUnderLoadIT {
    private static final int IN_FLIGHT = 2_000;

    @TempDir
    Path directory;

    @Test
    void recoversTwoThousandInFlightKeepingEveryToldOutcome() throws Exception {
        Arguments arguments = Arguments.parse(
                new String[] {
                    "--in-flight", Integer.toString(IN_FLIGHT),
                    "--banks", "8",
                    "--accounts-per-bank", "50",
                    "--balance", "200",
                    "--amount-max", "100",
                    "--history", "5000",
                    "--kill-deadline-seconds", "40",
                    "--load-java-opts", "-Xmx512m",
                    "--recover-java-opts", "-Xmx512m"
                },
                RecoveryTimeBenchmark.DEFAULTS);

        RecoveryTimeBenchmark.Round round = RecoveryTimeBenchmark.runRound(arguments, directory);

        assertThat(round.inFlightAtKill()).isGreaterThanOrEqualTo(IN_FLIGHT);
        // Branches prepared when the kill came were resolved by recovery, not found settled already.
        assertThat(round.figure("committed-branches") + round.figure("rolled-back-branches"))
                .isPositive();
        assertThat(round.figure("told-outcomes")).isPositive();
        assertThat(round.figure("told-aborted")).isPositive();
        assertThat(round.checked()).containsEntry("money", "conserved").containsEntry("prepared", "0");
    }
}
