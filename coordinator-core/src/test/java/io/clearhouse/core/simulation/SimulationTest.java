package io.clearhouse.core.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Runs the seeded simulation: {@code simulation.seeds} seeds from 1 (default 1,000), or only {@code
 * simulation.seed} when set. A failing seed is reported with the command that replays it alone.
 */
class SimulationTest {
    private static final long SEEDS_FOR_COVERAGE = 200;

    @Test
    void keepsEveryInvariantUnderFaultsForEverySeed() {
        String single = System.getProperty("simulation.seed");
        if (single != null && !single.isBlank()) {
            runSeed(Long.parseLong(single.trim()));
            return;
        }
        long seeds = Long.getLong("simulation.seeds", 1_000);
        Map<String, Integer> outcomes = new TreeMap<>();
        int recoveredCommits = 0;
        int recoveredRollbacks = 0;
        int messagesOfSeveralBranches = 0;
        for (long seed = 1; seed <= seeds; seed++) {
            Simulation.Coverage coverage = runSeed(seed);
            coverage.outcomes().forEach((outcome, count) -> outcomes.merge(outcome, count, Integer::sum));
            recoveredCommits += coverage.recoveredCommits();
            recoveredRollbacks += coverage.recoveredRollbacks();
            messagesOfSeveralBranches += coverage.messagesOfSeveralBranches();
        }
        if (seeds >= SEEDS_FOR_COVERAGE) {
            // Enough seeds must reach every path, or the invariants above hold for want of trying.
            assertThat(outcomes)
                    .containsKeys(
                            "COMMITTED",
                            "TIMEOUT",
                            "BANK_UNAVAILABLE",
                            "INSUFFICIENT_FUNDS",
                            "BALANCE_OVERFLOW",
                            "UNKNOWN_ACCOUNT",
                            "SAME_ACCOUNT",
                            "DUPLICATE_ID");
            assertThat(recoveredCommits).as("branches committed by recovery").isPositive();
            assertThat(recoveredRollbacks)
                    .as("branches rolled back by recovery")
                    .isPositive();
            assertThat(messagesOfSeveralBranches)
                    .as("messages that gathered several branches")
                    .isPositive();
        }
    }

    private static Simulation.Coverage runSeed(long seed) {
        try {
            return new Simulation(seed).run();
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError(
                    "simulation seed " + seed + " failed: " + e.getMessage() + "\nreplay it with: ./mvnw -o -pl "
                            + "coordinator-core test -Dtest=SimulationTest -Dsimulation.seed=" + seed,
                    e);
        }
    }
}
