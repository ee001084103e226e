package io.clearhouse.xa;

import static io.clearhouse.spi.BankInvariants.assertAtRest;
import static org.assertj.core.api.Assertions.assertThat;

import io.clearhouse.spi.BankAdapter;
import io.clearhouse.spi.Xid;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Narayana's crash recovery over Clearhouse banks: the process running Narayana is killed with SIGKILL in the middle
 * of a transfer; a new process runs Narayana's recovery over the same object store, with the banks reopened from their
 * logs and the bridge registered. Killed between the two phases (both banks prepared, the decision logged), recovery
 * commits both branches; killed during the prepares (bank A prepared, bank B not yet, nothing logged), bank A's branch
 * is an orphan that recovery rolls back. Either way money is conserved, the transfer applied once or not at all,
 * nothing left prepared and nothing left in Narayana's store.
 */
class NarayanaCrashRecoveryIT {
    private static final long PROCESS_SECONDS_MAX = 60;

    @TempDir
    Path directory;

    @Test
    void recoveryCommitsTheBranchesOfATransferKilledBetweenThePhases() throws Exception {
        Path objectStore = directory.resolve("object-store");
        Path banks = directory.resolve("banks");

        String stoppedTransaction = killIn(BankStoppingInPhase.Phase.COMMIT, objectStore, banks);
        assertThat(transactionRecords(objectStore))
                .as("Narayana's logged decision")
                .hasSize(1);
        assertBothBanksHoldPrepared(banks, stoppedTransaction);

        runToTheEnd(NarayanaRecoveryRun.class, objectStore, banks, NarayanaRecoveryRun.DONE);

        assertThat(transactionRecords(objectStore))
                .as("Narayana's transactions left")
                .isEmpty();
        assertBanksMoved(banks, COMPLETED + TransfersStoppedInPhase.STOPPED_AMOUNT);
    }

    @Test
    void recoveryRollsBackTheOrphanOfATransferKilledBeforeItsDecision() throws Exception {
        Path objectStore = directory.resolve("object-store");
        Path banks = directory.resolve("banks");

        killIn(BankStoppingInPhase.Phase.PREPARE, objectStore, banks);
        assertThat(transactionRecords(objectStore))
                .as("Narayana's logged decisions: none, it had not decided")
                .isEmpty();
        try (BankAdapter bankA = DurableBanks.openA(banks);
                BankAdapter bankB = DurableBanks.openB(banks)) {
            assertThat(bankA.recover()).as("prepared at bank A").hasSize(1);
            assertThat(bankB.recover()).as("prepared at bank B").isEmpty();
        }

        runToTheEnd(NarayanaRecoveryRun.class, objectStore, banks, NarayanaRecoveryRun.DONE);

        assertBanksMoved(banks, COMPLETED);
    }

    private static final long COMPLETED =
            TransfersStoppedInPhase.COMMITTED_TRANSFERS * TransfersStoppedInPhase.COMMITTED_AMOUNT;

    /** Both banks at rest, with {@code moved} taken from bank A's account and given to bank B's. */
    private static void assertBanksMoved(Path banks, long moved) {
        try (BankAdapter bankA = DurableBanks.openA(banks);
                BankAdapter bankB = DurableBanks.openB(banks)) {
            assertAtRest(bankA, Map.of(DurableBanks.ACCOUNT_A, DurableBanks.OPENING_BALANCE - moved));
            assertAtRest(bankB, Map.of(DurableBanks.ACCOUNT_B, DurableBanks.OPENING_BALANCE + moved));
        }
    }

    /** Runs the transfers until the process stops in {@code phase}, kills it there, returns that transaction. */
    private String killIn(BankStoppingInPhase.Phase phase, Path objectStore, Path banks)
            throws IOException, InterruptedException {
        Process process = start(TransfersStoppedInPhase.class, objectStore, banks, phase.name());
        try (BufferedReader out = reader(process)) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                if (line.startsWith(BankStoppingInPhase.STOPPED)) {
                    // destroyForcibly sends SIGKILL to the process's pid: no shutdown hook, no flush, no last word.
                    process.destroyForcibly();
                    assertThat(process.waitFor(PROCESS_SECONDS_MAX, TimeUnit.SECONDS))
                            .isTrue();
                    return line.substring(BankStoppingInPhase.STOPPED.length());
                }
            }
            throw new AssertionError("the process ended (exit " + process.waitFor() + ") before it stopped in the "
                    + phase + " phase; its log: " + log(TransfersStoppedInPhase.class));
        } finally {
            process.destroyForcibly();
        }
    }

    /** Both banks hold the stopped transfer's branch prepared, and nothing else: the kill fell between the phases. */
    private static void assertBothBanksHoldPrepared(Path banks, String stoppedTransaction) {
        try (BankAdapter bankA = DurableBanks.openA(banks);
                BankAdapter bankB = DurableBanks.openB(banks)) {
            XaBranchId branchA = onlyPreparedBranch(bankA);
            XaBranchId branchB = onlyPreparedBranch(bankB);
            assertThat(branchB.getGlobalTransactionId())
                    .as("one global transaction")
                    .isEqualTo(branchA.getGlobalTransactionId());
            assertThat(List.of(branchA.transactionId(), branchB.transactionId()))
                    .as("the branch whose commit stopped the process")
                    .contains(stoppedTransaction);
        }
    }

    private static XaBranchId onlyPreparedBranch(BankAdapter bank) {
        Set<Xid> prepared = bank.recover();
        assertThat(prepared).as("prepared at %s", bank.bankId()).hasSize(1);
        return XaBranchId.fromTransactionId(prepared.iterator().next().transactionId())
                .orElseThrow();
    }

    private void runToTheEnd(Class<?> main, Path objectStore, Path banks, String lastLine)
            throws IOException, InterruptedException {
        Process process = start(main, objectStore, banks);
        try (BufferedReader out = reader(process)) {
            List<String> lines = new ArrayList<>();
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                lines.add(line);
            }
            assertThat(process.waitFor(PROCESS_SECONDS_MAX, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue())
                    .as("exit of %s; its log: %s", main.getSimpleName(), log(main))
                    .isZero();
            assertThat(lines).contains(lastLine);
        } finally {
            process.destroyForcibly();
        }
    }

    /** Starts {@code main} in a JVM of its own, killed at the deadline if it is still running, so no read hangs. */
    private Process start(Class<?> main, Path objectStore, Path banks, String... more) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                main.getName(),
                objectStore.toString(),
                banks.toString()));
        command.addAll(List.of(more));
        Process process = new ProcessBuilder(command)
                .redirectError(logFile(main).toFile())
                .start();
        CompletableFuture.runAsync(
                process::destroyForcibly, CompletableFuture.delayedExecutor(PROCESS_SECONDS_MAX, TimeUnit.SECONDS));
        return process;
    }

    private Path logFile(Class<?> main) {
        return directory.resolve(main.getSimpleName() + ".log");
    }

    private String log(Class<?> main) throws IOException {
        return Files.readString(logFile(main));
    }

    private static BufferedReader reader(Process process) {
        return new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    /** The transactions Narayana has logged and not yet finished: one file each in the store's AtomicAction folder. */
    private static List<Path> transactionRecords(Path objectStore) throws IOException {
        try (Stream<Path> files = Files.walk(objectStore)) {
            return files.filter(Files::isRegularFile)
                    .filter(file -> file.getParent().getFileName().toString().equals("AtomicAction"))
                    .toList();
        }
    }
}
