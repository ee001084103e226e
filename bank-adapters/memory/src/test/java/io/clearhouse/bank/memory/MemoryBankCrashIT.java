package io.clearhouse.bank.memory;

import static io.clearhouse.spi.BankInvariants.assertAtRest;
import static io.clearhouse.spi.BankInvariants.assertNoNegativeBalance;
import static io.clearhouse.spi.BankInvariants.totalPosted;
import static org.assertj.core.api.Assertions.assertThat;

import io.clearhouse.api.Posting;
import io.clearhouse.api.Reason;
import io.clearhouse.spi.Vote;
import io.clearhouse.spi.Xid;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a process that drives a durable memory bank (SIGKILL, after a random number of COMMIT votes), several times
 * on the same directory, and checks after each kill: money conserved, no negative balance, every branch that was
 * voted COMMIT is either restored as prepared or finished (a repeated prepare changes nothing), and once the
 * restored branches are resolved nothing is left held. The seed is printed on failure.
 */
class MemoryBankCrashIT {
    private static final int KILLS = 4;
    private static final int VOTES_BEFORE_KILL_MAX = 2_000;
    private static final long TOTAL = TransferUntilKilled.ACCOUNTS * TransferUntilKilled.OPENING_BALANCE;

    @TempDir
    Path directory;

    @Test
    void everyCommitVoteSurvivesAKillAndMoneyIsConserved() throws Exception {
        long seed = Long.getLong("clearhouse.crash.seed", System.nanoTime());
        Random random = new Random(seed);
        try {
            for (int kill = 0; kill < KILLS; kill++) {
                Set<String> voted = killAfter(1 + random.nextInt(VOTES_BEFORE_KILL_MAX), kill);
                checkRestoredBank(voted, random.nextBoolean());
            }
        } catch (Exception | AssertionError e) {
            throw new AssertionError("crash test failed; replay with -Dclearhouse.crash.seed=" + seed, e);
        }
    }

    /** Runs the child until it printed {@code votes} COMMIT votes, kills it, returns the votes' transaction ids. */
    private Set<String> killAfter(int votes, int kill) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        TransferUntilKilled.class.getName(),
                        directory.toString(),
                        "run" + kill)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        Set<String> voted = new HashSet<>();
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null && voted.size() < votes; line = out.readLine()) {
                voted.add(line.substring("prepared ".length()));
            }
            process.destroyForcibly();
            assertThat(process.waitFor(60, TimeUnit.SECONDS))
                    .as("run %d ended", kill)
                    .isTrue();
        }
        assertThat(voted).as("COMMIT votes of run %d", kill).isNotEmpty();
        return voted;
    }

    /** Opens the bank as the next run would, checks the invariants, and resolves what was left prepared. */
    private void checkRestoredBank(Set<String> voted, boolean commitRestored) {
        Map<String, Long> opening = TransferUntilKilled.openingBalances();
        try (MemoryBankAdapter bank = MemoryBankAdapter.durable(TransferUntilKilled.BANK, opening, directory, true)) {
            assertThat(totalPosted(bank)).isEqualTo(TOTAL);
            assertNoNegativeBalance(bank);
            Set<Xid> restored = bank.recover();
            Map<String, Long> postedBefore = bank.postedBalances();
            for (String transactionId : voted) {
                Xid xid = new Xid(transactionId, TransferUntilKilled.BANK);
                if (!restored.contains(xid)) {
                    List<Posting> probe = List.of(new Posting("account-0", -1), new Posting("account-1", 1));
                    assertThat(bank.prepare(xid, probe)).isIn(Vote.COMMIT, Vote.abort(Reason.TIMEOUT));
                }
            }
            assertThat(bank.recover()).isEqualTo(restored);
            assertThat(bank.postedBalances()).isEqualTo(postedBefore);
            for (Xid xid : restored) {
                if (commitRestored) {
                    bank.commit(xid);
                } else {
                    bank.rollback(xid);
                }
            }
            assertThat(totalPosted(bank)).isEqualTo(TOTAL);
            assertAtRest(bank, bank.postedBalances());
        }
    }
}
