package io.clearhouse.core.log;

import static org.assertj.core.api.Assertions.assertThat;

import io.clearhouse.journal.JournalOptions;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A decision whose forced write the file log reported failed can be on disk all the same (here: the first records of
 * a group written up to a file size limit, as a full disk would). Asked about it afterwards, the log must not answer
 * "no decision", which recovery while running takes for an abort while the next open would find the decision and
 * commit. Real writes, real failures: the logs live in a child JVM under {@code ulimit -f}.
 */
class FileDecisionLogWriteFailureIT {
    private static final int LOGS = 6;
    private static final int FILE_SIZE_LIMIT_KIB = 12;

    @TempDir
    Path directory;

    static String logName(int number) {
        return "decisions-" + number + ".log";
    }

    @Test
    void neverAnswersNoDecisionForADecisionThatMayBeOnDisk() throws IOException, InterruptedException {
        Map<String, String> reported = runChild();
        Set<String> onDisk = new HashSet<>();
        for (int number = 0; number < LOGS; number++) {
            FileDecisionLog reopened =
                    FileDecisionLog.open(directory.resolve(logName(number)), JournalOptions.defaults());
            try {
                for (DecisionRecord record : reopened.recoveredRecords()) {
                    if (record instanceof DecisionRecord.CommitDecision decision) {
                        onDisk.add(decision.globalId());
                    }
                }
            } finally {
                reopened.close();
            }
        }

        assertThat(reported).hasSize(LOGS * WriteBeyondFileSizeLimit.DECISIONS_PER_LOG);
        assertThat(onDisk)
                .as("decisions on disk whose write was reported failed: the case this test is about")
                .anyMatch(globalId -> !reported.get(globalId).equals("acknowledged"));
        for (Map.Entry<String, String> decision : reported.entrySet()) {
            if (decision.getValue().equals("acknowledged")) {
                assertThat(onDisk).as("acknowledged, so durable").contains(decision.getKey());
            } else {
                assertThat(decision.getValue())
                        .as("what the log answered for %s after its write failed", decision.getKey())
                        .isEqualTo("failed threw");
            }
        }
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    private Map<String, String> runChild() throws IOException, InterruptedException {
        Path errors = directory.resolve("child-stderr.txt");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String command = "ulimit -f " + FILE_SIZE_LIMIT_KIB + " && exec \"$0\" -XX:-UsePerfData -cp \"$1\" "
                + WriteBeyondFileSizeLimit.class.getName() + " \"$2\" " + LOGS;
        Process child = new ProcessBuilder(List.of(
                        "bash", "-c", command, java, System.getProperty("java.class.path"), directory.toString()))
                .redirectError(errors.toFile())
                .start();
        Map<String, String> reported = new HashMap<>();
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                int space = line.indexOf(' ');
                reported.put(line.substring(0, space), line.substring(space + 1));
            }
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("child ended").isTrue();
            assertThat(child.exitValue())
                    .as(() -> "child's exit code; its standard error:\n" + readQuietly(errors))
                    .isZero();
        } finally {
            child.destroyForcibly();
        }
        return reported;
    }
}
