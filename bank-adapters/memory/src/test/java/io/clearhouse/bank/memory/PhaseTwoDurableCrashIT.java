package io.clearhouse.bank.memory;

import static io.clearhouse.spi.BankInvariants.assertNoNegativeBalance;
import static io.clearhouse.spi.BankInvariants.totalPosted;
import static org.assertj.core.api.Assertions.assertThat;

import io.clearhouse.spi.Xid;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a process that commits on a durable memory bank with {@link MemoryBankOptions#phaseTwoDurable()} (SIGKILL,
 * after a random number of acknowledged commits), several times on the same directory, and checks after each kill
 * that no acknowledged commit came back prepared, money is conserved and no balance is negative. Without the option
 * the commit records are lazy and a kill brings back prepared the commits acknowledged since the last forced write.
 * The seed is printed on failure.
 */
class PhaseTwoDurableCrashIT {
    private static final int KILLS = 4;
    private static final int COMMITS_BEFORE_KILL_MAX = 2_000;
    private static final long TOTAL = TransferUntilKilled.ACCOUNTS * TransferUntilKilled.OPENING_BALANCE;

    @TempDir
    Path directory;

    @Test
    void noAcknowledgedCommitComesBackPreparedAfterAKill() throws Exception {
        long seed = Long.getLong("clearhouse.crash.seed", System.nanoTime());
        Random random = new Random(seed);
        try {
            for (int kill = 0; kill < KILLS; kill++) {
                Set<String> committed = killAfter(1 + random.nextInt(COMMITS_BEFORE_KILL_MAX), kill);
                checkRestoredBank(committed);
            }
        } catch (Exception | AssertionError e) {
            throw new AssertionError("crash test failed; replay with -Dclearhouse.crash.seed=" + seed, e);
        }
    }

    /** Runs the child until it printed {@code commits} acknowledged commits, kills it, returns their ids. */
    private Set<String> killAfter(int commits, int kill) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        CommitUntilKilled.class.getName(),
                        directory.toString(),
                        "run" + kill)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        Set<String> committed = new HashSet<>();
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null && committed.size() < commits; line = out.readLine()) {
                committed.add(line.substring("committed ".length()));
            }
            process.destroyForcibly();
            assertThat(process.waitFor(60, TimeUnit.SECONDS))
                    .as("run %d ended", kill)
                    .isTrue();
        }
        assertThat(committed).as("acknowledged commits of run %d", kill).isNotEmpty();
        return committed;
    }

    /** Opens the bank as the next run would, checks it, and rolls back what was left prepared. */
    private void checkRestoredBank(Set<String> committed) {
        try (MemoryBankAdapter bank = MemoryBankAdapter.open(
                TransferUntilKilled.BANK,
                TransferUntilKilled.openingBalances(),
                CommitUntilKilled.options(directory))) {
            assertThat(totalPosted(bank)).isEqualTo(TOTAL);
            assertNoNegativeBalance(bank);
            Set<Xid> restored = bank.recover();
            for (String transactionId : committed) {
                assertThat(restored)
                        .as("acknowledged commit %s", transactionId)
                        .doesNotContain(new Xid(transactionId, TransferUntilKilled.BANK));
            }
            bank.rollbackMany(java.util.List.copyOf(restored))
                    .toCompletableFuture()
                    .join();
            assertThat(bank.recover()).isEmpty();
            assertThat(totalPosted(bank)).isEqualTo(TOTAL);
        }
    }
}
