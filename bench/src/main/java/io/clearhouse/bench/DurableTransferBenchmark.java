package io.clearhouse.bench;

import io.clearhouse.core.engine.CoordinatorOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Embedded durable cross-bank transfers from concurrent clients: a file decision log and memory banks with
 * write-ahead logs, fsync on, one run for every combination of bank count, client count, client mode (threads
 * that wait, or chains of callbacks: {@link ClientMode}) and decision log; {@code --threads} counts the clients.
 * With several decision logs ({@code --decision-log file,raft}) each combination runs once per log in turn, and the
 * benchmark ends with each log's throughput, p99 and CPU per transfer as ratios to the first's. Every run starts
 * from empty logs in its own directory, warms up, measures a fixed window, then closes the coordinator and checks
 * that money was conserved and that no branch was left prepared, so a fast but wrong engine cannot post a figure.
 * The engine keeps the most recent outcomes in memory as the server does ({@code --outcomes-in-memory-max}, the server's
 * 100,000 by default; 0 keeps every one), so that its heap, and the collector's work, stay those of a server.
 */
public final class DurableTransferBenchmark {
    static final Map<String, String> DEFAULTS = Arguments.transferLoadDefaults(
            "banks", "2,8,32",
            "threads", "16,64,256",
            "client-mode", "threads,async",
            "fsync", "true",
            "decision-log", "file",
            "bank-log", "wal",
            "bank-servers", "2",
            "engine-threads", "256",
            "outcomes-in-memory-max", "100000",
            "bank-messages-in-flight-max",
                    Integer.toString(CoordinatorOptions.defaults().bankMessagesInFlightMax()),
            "dir", "target/bench-data/durable");

    private DurableTransferBenchmark() {}

    public static void main(String[] args) throws IOException, InterruptedException {
        Arguments arguments = Arguments.parse(args, DEFAULTS);
        System.out.println("durable transfers: " + arguments.describe());
        System.out.println(Machine.describe());
        List<String> decisionLogs = List.of(arguments.text("decision-log").split(","));
        List<String> rows = new ArrayList<>();
        List<String> ratios = new ArrayList<>();
        for (int banks : arguments.integers("banks")) {
            for (int clients : arguments.integers("threads")) {
                for (ClientMode mode : clientModes(arguments)) {
                    Map<String, LoadResult> byLog = new LinkedHashMap<>();
                    for (String decisionLog : decisionLogs) {
                        LoadResult result = runOnce(arguments, banks, clients, mode, decisionLog.strip());
                        System.out.println(Report.line(banks, decisionLog.strip(), result));
                        rows.add(Report.tableRow(banks, decisionLog.strip(), result));
                        byLog.put(decisionLog.strip(), result);
                    }
                    ratios.addAll(ratioLines(banks, byLog));
                }
            }
        }
        System.out.println();
        System.out.println(Report.TABLE_HEADER);
        rows.forEach(System.out::println);
        if (!ratios.isEmpty()) {
            System.out.println();
            ratios.forEach(System.out::println);
        }
    }

    /** Each log's figures against the first log's, from runs of the same banks, clients and mode. */
    private static List<String> ratioLines(int banks, Map<String, LoadResult> byLog) {
        List<String> lines = new ArrayList<>();
        Map.Entry<String, LoadResult> baseline = byLog.entrySet().iterator().next();
        byLog.forEach((decisionLog, result) -> {
            if (!decisionLog.equals(baseline.getKey())) {
                lines.add(Report.ratioLine(banks, decisionLog, result, baseline.getKey(), baseline.getValue()));
            }
        });
        return lines;
    }

    private static List<ClientMode> clientModes(Arguments arguments) {
        List<ClientMode> modes = new ArrayList<>();
        for (String name : arguments.text("client-mode").split(",")) {
            modes.add(ClientMode.parse(name));
        }
        return modes;
    }

    static LoadResult runOnce(Arguments arguments, int banks, int clients, ClientMode mode, String decisionLog)
            throws IOException, InterruptedException {
        Path directory = arguments
                .path("dir")
                .resolve(banks + "-banks-" + clients + "-clients-" + mode.label() + "-" + decisionLog);
        EmbeddedSetup setup = new EmbeddedSetup(
                banks,
                arguments.integer("accounts-per-bank"),
                arguments.longInteger("balance"),
                arguments.flag("fsync"),
                decisionLog,
                arguments.text("bank-log"),
                Math.min(arguments.integer("bank-servers"), banks),
                CoordinatorOptions.defaults()
                        .withThreads(arguments.integer("engine-threads"))
                        .withFinishedOutcomesInMemoryMax(arguments.integer("outcomes-in-memory-max"))
                        .withBankMessagesInFlightMax(arguments.integer("bank-messages-in-flight-max")));
        try (EmbeddedSetup.Running running = setup.open(directory)) {
            return running.loadAndCheck(arguments, banks, setup.accountsPerBank(), clients, mode, "c");
        }
    }
}
