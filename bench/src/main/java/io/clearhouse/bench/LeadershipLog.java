package io.clearhouse.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads a cluster node's {@code server.log} for the moments its coordination logged: "node N leads in term T" (its
 * Raft peer leads and is ready, and it begins to open its coordinator) and "node N coordinates in term T" (the
 * coordinator is open, recovery done), and what each step of the opening took. Payara writes each record on one line
 * with its {@code timeMillis}.
 */
final class LeadershipLog {
    private static final Pattern MOMENT =
            Pattern.compile("\\[timeMillis: (\\d+)].*node (\\S+) (leads|coordinates) in term (\\d+)");
    private static final Pattern OPENING =
            Pattern.compile("coordinator of term (\\d+) opened: (banks in .*?)(\\]\\])?$");

    private LeadershipLog() {}

    /**
     * The wall-clock time in ms of the line in which node {@code nodeId} says it {@code verb} ({@code leads} or
     * {@code coordinates}) in {@code term}; empty if the log holds no such line or cannot be read.
     */
    /**
     * What the opening of the coordinator for {@code term} took, step by step, as the node logged it ("banks in N ms,
     * decision log in N ms, engine and recovery in N ms ..."); empty if the log does not say.
     */
    static Optional<String> openingSteps(Path serverLog, long term) {
        try (Stream<String> lines = Files.lines(serverLog)) {
            return lines.map(OPENING::matcher)
                    .filter(Matcher::find)
                    .filter(opening -> Long.parseLong(opening.group(1)) == term)
                    .map(opening -> opening.group(2))
                    .findFirst();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    static Optional<Long> momentMillis(Path serverLog, String nodeId, String verb, long term) {
        try (Stream<String> lines = Files.lines(serverLog)) {
            return lines.map(MOMENT::matcher)
                    .filter(Matcher::find)
                    .filter(moment -> moment.group(2).equals(nodeId)
                            && moment.group(3).equals(verb)
                            && Long.parseLong(moment.group(4)) == term)
                    .map(moment -> Long.parseLong(moment.group(1)))
                    .findFirst();
        } catch (IOException | RuntimeException e) {
            // A missing or half-written log leaves this figure out; the measured ones stand.
            return Optional.empty();
        }
    }
}
