package io.clearhouse.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a process that appends to a journal (SIGKILL, at a random number of acknowledged records) and checks, on
 * reopen, that every acknowledged record is there, that each thread's records form a prefix of its sequence with
 * nothing invented, and that the journal can be appended to again. The seed is printed on failure.
 */
class JournalCrashIT {
    private static final int KILLS = 5;
    private static final int ACKNOWLEDGED_BEFORE_KILL_MAX = 3_000;

    @TempDir
    Path directory;

    @Test
    void everyAcknowledgedRecordSurvivesAKillAtAnyPoint() throws Exception {
        long seed = Long.getLong("clearhouse.crash.seed", System.nanoTime());
        Random random = new Random(seed);
        Path file = directory.resolve("crash.journal");
        Set<String> acknowledged = new HashSet<>();
        try {
            for (int kill = 0; kill < KILLS; kill++) {
                Path run = file.resolveSibling("crash-" + kill + ".journal");
                acknowledged.clear();
                killAfter(run, 1 + random.nextInt(ACKNOWLEDGED_BEFORE_KILL_MAX), acknowledged);
                assertRecoveredAfterKill(run, acknowledged);
            }
        } catch (Exception | AssertionError e) {
            throw new AssertionError("crash test failed; replay with -Dclearhouse.crash.seed=" + seed, e);
        }
    }

    private static void killAfter(Path file, int acknowledgements, Set<String> acknowledged)
            throws IOException, InterruptedException {
        Process process = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        AppendUntilKilled.class.getName(),
                        file.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                acknowledged.add(line);
                if (acknowledged.size() >= acknowledgements) {
                    break;
                }
            }
            process.destroyForcibly();
            assertThat(process.waitFor(60, TimeUnit.SECONDS))
                    .as("killed process ended")
                    .isTrue();
        }
        assertThat(acknowledged).as("acknowledged records before the kill").isNotEmpty();
    }

    private static void assertRecoveredAfterKill(Path file, Set<String> acknowledged) {
        try (Journal journal = Journal.open(file, JournalOptions.defaults())) {
            List<String> recovered = journal.recoveredRecords().stream()
                    .map(bytes -> new String(bytes, StandardCharsets.UTF_8))
                    .toList();
            int[] next = new int[AppendUntilKilled.THREADS];
            Set<String> numbers = new HashSet<>();
            for (String record : recovered) {
                String[] parts = record.split(":");
                int thread = Integer.parseInt(parts[0]);
                int number = Integer.parseInt(parts[1]);
                assertThat(number).as("next record of thread %d", thread).isEqualTo(next[thread]);
                assertThat(parts.length == 2 ? "" : parts[2]).isEqualTo("x".repeat(number % 97));
                next[thread]++;
                numbers.add(parts[0] + ":" + parts[1]);
            }
            assertThat(numbers).containsAll(acknowledged);
            journal.appendDurablyAndWait("after the crash".getBytes(StandardCharsets.UTF_8));
        }
    }
}
