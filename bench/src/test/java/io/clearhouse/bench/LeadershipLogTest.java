package io.clearhouse.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reads the moments a node's coordination logged, from lines as Payara Micro writes them (colours included). */
class LeadershipLogTest {
    private static final String ESC = "\u001b";

    @TempDir
    Path directory;

    @Test
    void findsWhenANodeLedAndCoordinatedInATerm() throws Exception {
        Path log = directory.resolve("server.log");
        Files.write(
                log,
                List.of(
                        line(1000, "node 1 leads in term 2; opening its coordinator"),
                        line(1500, "node 1 coordinates in term 2"),
                        line(9000, "node 1 leads in term 4; opening its coordinator"),
                        line(9800, "node 1 coordinates in term 4")));

        assertThat(LeadershipLog.momentMillis(log, "1", "leads", 4)).contains(9000L);
        assertThat(LeadershipLog.momentMillis(log, "1", "coordinates", 4)).contains(9800L);
        assertThat(LeadershipLog.momentMillis(log, "1", "coordinates", 2)).contains(1500L);
        assertThat(LeadershipLog.momentMillis(log, "2", "leads", 4)).isEmpty();
        assertThat(LeadershipLog.momentMillis(directory.resolve("missing.log"), "1", "leads", 4))
                .isEmpty();
    }

    @Test
    void findsWhatEachStepOfAnOpeningTook() throws Exception {
        Path log = directory.resolve("server.log");
        Files.write(
                log,
                List.of(line(
                        1000,
                        "coordinator of term 3 opened: banks in 0 ms, decision log in 40 ms,"
                                + " engine and recovery in 120 ms (recovery report)")));

        assertThat(LeadershipLog.openingSteps(log, 3))
                .contains("banks in 0 ms, decision log in 40 ms, engine and recovery in 120 ms (recovery report)");
        assertThat(LeadershipLog.openingSteps(log, 4)).isEmpty();
    }

    private static String line(long timeMillis, String message) {
        return "[2026-12-06T19:06:05.110+0000] [] [" + ESC + "[1;92mINFO" + ESC + "[0m] [] [" + ESC
                + "[1;94mio.clearhouse.ejb.internal.ClusterCoordination" + ESC + "[0m] [tid: _ThreadID=134"
                + " _ThreadName=concurrent/__defaultManagedThreadFactory-Thread-1] [timeMillis: " + timeMillis
                + "] [levelValue: 800] " + message;
    }
}
