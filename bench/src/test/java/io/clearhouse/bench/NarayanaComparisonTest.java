package io.clearhouse.bench;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.transaction.TransactionManager;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Runs each side of the comparison on a tiny, count-bounded load whose balances are low enough that banks vote NO:
 * every transfer must get an outcome, commits and aborts alike, and the run itself checks that money was conserved
 * and no branch was left prepared (it throws otherwise).
 */
class NarayanaComparisonTest {
    @TempDir
    static Path directory;

    private static TransactionManager narayana;

    @BeforeAll
    static void startNarayana() throws Exception {
        narayana = NarayanaJournal.start(directory.resolve("narayana-store"), true);
    }

    @AfterAll
    static void stopNarayana() {
        NarayanaJournal.stop();
    }

    @ParameterizedTest
    @ValueSource(strings = {NarayanaComparison.CLEARHOUSE, NarayanaComparison.NARAYANA, NarayanaComparison.BANKS_ALONE})
    void everyTransferGetsAnOutcomeAndTheInvariantsHold(String side) throws Exception {
        Arguments arguments = Arguments.parse(
                new String[] {
                    "--warmup-seconds", "0",
                    "--measure-seconds", "60",
                    "--transactions-max", "300",
                    "--accounts-per-bank", "5",
                    "--balance", "100",
                    "--amount-max", "100",
                    "--dir", directory.toString()
                },
                NarayanaComparison.DEFAULTS);

        LoadResult result = NarayanaComparison.runOnce(arguments, side, 4, 1, narayana);

        assertThat(result.failed()).isZero();
        assertThat(result.committed()).isPositive();
        assertThat(result.aborted()).isPositive();
        assertThat(result.committed() + result.aborted()).isEqualTo(300);
    }
}
