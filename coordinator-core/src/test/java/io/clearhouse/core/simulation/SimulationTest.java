package io.clearhouse.core.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Runs the seeded simulation: {@code simulation.seeds} seeds from 1 (default 10,000), or only {@code
 * simulation.seed} when set. A failing seed is reported with the command that replays it alone.
 */
class SimulationTest {
    private static final long SEEDS_FOR_COVERAGE = 200;

    @Test
    void keepsEveryInvariantUnderFaultsAndFailOverForEverySeed() {
        String single = System.getProperty("simulation.seed");
        if (single != null && !single.isBlank()) {
            runSeed(Long.parseLong(single.trim()));
            return;
        }
        long seeds = Long.getLong("simulation.seeds", 10_000);
        Simulation.Coverage coverage = Simulation.Coverage.none();
        for (long seed = 1; seed <= seeds; seed++) {
            coverage = coverage.plus(runSeed(seed));
        }
        if (seeds >= SEEDS_FOR_COVERAGE) {
            requireEveryPathReached(coverage);
        }
    }

    /** Enough seeds must reach every path, or the invariants hold for want of trying. */
    private static void requireEveryPathReached(Simulation.Coverage coverage) {
        assertThat(coverage.outcomes())
                .containsKeys(
                        "COMMITTED",
                        "TIMEOUT",
                        "BANK_UNAVAILABLE",
                        "INSUFFICIENT_FUNDS",
                        "BALANCE_OVERFLOW",
                        "UNKNOWN_ACCOUNT",
                        "SAME_ACCOUNT",
                        "DUPLICATE_ID");
        assertThat(coverage.recoveredCommits())
                .as("branches committed by recovery")
                .isPositive();
        assertThat(coverage.recoveredRollbacks())
                .as("branches rolled back by recovery")
                .isPositive();
        assertThat(coverage.passResolutions())
                .as("branches resolved by recovery passes")
                .isPositive();
        assertThat(coverage.messagesOfSeveralBranches())
                .as("messages that gathered several branches")
                .isPositive();
        for (FailoverPoint point : FailoverPoint.values()) {
            assertThat(coverage.leaderLossesByPoint().getOrDefault(point, 0))
                    .as("leader losses with a transaction at " + point)
                    .isPositive();
        }
        assertThat(coverage.fencedWrites())
                .as("writes of deposed leaders refused")
                .isPositive();
        assertThat(coverage.keptAfterLoss())
                .as("entries of a lost leader committed by its successor")
                .isPositive();
        assertThat(coverage.truncatedAfterLoss())
                .as("entries of a lost leader truncated")
                .isPositive();
        assertThat(coverage.idsToldByTwoLeaders())
                .as("ids answered by two leaders")
                .isPositive();
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
