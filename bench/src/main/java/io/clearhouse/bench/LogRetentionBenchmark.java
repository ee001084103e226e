package io.clearhouse.bench;

import io.clearhouse.api.Posting;
import io.clearhouse.api.Reason;
import io.clearhouse.core.log.DecisionRecord;
import io.clearhouse.log.jpa.JpaDecisionLog;
import io.clearhouse.log.jpa.JpaDecisionLogOptions;
import io.clearhouse.postgres.PostgresCluster;
import io.clearhouse.postgres.PostgresDatabase;
import io.clearhouse.postgres.PostgresOptions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The PostgreSQL decision log over a long run, with and without pruning, side by side in one throwaway cluster: each
 * "day" appends the same transactions to both logs (two in three commits with their completion, one in three
 * aborts), then ages every row by a day, prunes the pruned log with the retention, closes both, and opens them again.
 * Printed per day: rows, table size with its indexes, and how long an open took (the start-up's part that reads the
 * log), for both; the figures to look at are the ratios of the last day to the first.
 */
public final class LogRetentionBenchmark {
    static final Map<String, String> DEFAULTS = Arguments.defaults(
            "days", "10",
            "transactions-per-day", "100000",
            "retention-days", "2");
    private static final List<Posting> TRANSFER = List.of(new Posting("alice", -10), new Posting("bob", 10));

    private record Day(long rows, long bytes, long openMillis) {}

    private LogRetentionBenchmark() {}

    public static void main(String[] args) throws Exception {
        Arguments arguments = Arguments.parse(args, DEFAULTS);
        System.out.println("PostgreSQL decision log with and without pruning: " + arguments.describe());
        System.out.println(Machine.describe());
        int days = arguments.integer("days");
        int perDay = arguments.integer("transactions-per-day");
        Duration retention = Duration.ofDays(arguments.integer("retention-days"));
        try (PostgresCluster cluster = PostgresCluster.startThrowaway(PostgresOptions.defaults())) {
            PostgresDatabase pruned = cluster.database().createFresh();
            PostgresDatabase kept = cluster.database().createFresh();
            List<Day> prunedDays = new ArrayList<>();
            List<Day> keptDays = new ArrayList<>();
            System.out.println("day  pruned: rows  MB     open ms   kept: rows  MB     open ms");
            for (int day = 1; day <= days; day++) {
                String prefix = "d" + day + "-";
                keptDays.add(runDay(kept, prefix, perDay, null));
                prunedDays.add(runDay(pruned, prefix, perDay, retention));
                Day p = prunedDays.get(day - 1);
                Day k = keptDays.get(day - 1);
                System.out.printf(
                        "%3d  %12d  %5.1f  %7d   %10d  %5.1f  %7d%n",
                        day, p.rows(), p.bytes() / 1e6, p.openMillis(), k.rows(), k.bytes() / 1e6, k.openMillis());
            }
            Day firstPruned = prunedDays.get(0);
            Day lastPruned = prunedDays.get(days - 1);
            Day firstKept = keptDays.get(0);
            Day lastKept = keptDays.get(days - 1);
            System.out.printf(
                    "last day / first day: pruned rows %.2f, size %.2f, open %.2f; kept rows %.2f, size %.2f, open %.2f%n",
                    ratio(lastPruned.rows(), firstPruned.rows()),
                    ratio(lastPruned.bytes(), firstPruned.bytes()),
                    ratio(lastPruned.openMillis(), firstPruned.openMillis()),
                    ratio(lastKept.rows(), firstKept.rows()),
                    ratio(lastKept.bytes(), firstKept.bytes()),
                    ratio(lastKept.openMillis(), firstKept.openMillis()));
        }
    }

    /** One day on one log: append, age every row by a day, prune if asked, then time an open. */
    private static Day runDay(PostgresDatabase database, String prefix, int transactions, Duration retention)
            throws Exception {
        try (JpaDecisionLog log = open(database)) {
            List<CompletableFuture<Void>> durable = new ArrayList<>(transactions);
            for (int n = 0; n < transactions; n++) {
                String globalId = prefix + n;
                String clientId = "c-" + prefix + n;
                if (n % 3 == 2) {
                    durable.add(log.appendDurably(
                            new DecisionRecord.AbortOutcome(globalId, clientId, Reason.INSUFFICIENT_FUNDS, TRANSFER)));
                } else {
                    durable.add(log.appendDurably(
                            new DecisionRecord.CommitDecision(globalId, clientId, TRANSFER, List.of("1", "2"))));
                    durable.add(log.appendDurably(new DecisionRecord.Completion(globalId)));
                }
            }
            CompletableFuture.allOf(durable.toArray(CompletableFuture[]::new)).get();
        }
        execute(database, "UPDATE decision_record SET written_at = written_at - interval '1 day'");
        if (retention != null) {
            try (JpaDecisionLog log = open(database)) {
                log.prune(Instant.now().minus(retention), 1_000);
            }
        }
        execute(database, "VACUUM ANALYZE decision_record");
        long started = System.nanoTime();
        try (JpaDecisionLog log = open(database)) {
            long openMillis = (System.nanoTime() - started) / 1_000_000;
            return new Day(
                    count(database, "SELECT count(*) FROM decision_record"),
                    count(database, "SELECT pg_total_relation_size('decision_record')"),
                    openMillis);
        }
    }

    private static JpaDecisionLog open(PostgresDatabase database) {
        return JpaDecisionLog.open(
                database.jdbcUrl(), database.user(), database.password(), JpaDecisionLogOptions.defaults());
    }

    private static void execute(PostgresDatabase database, String sql) throws SQLException {
        try (Connection connection = database.connect();
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static long count(PostgresDatabase database, String sql) throws SQLException {
        try (Connection connection = database.connect();
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return result.getLong(1);
        }
    }

    private static double ratio(long last, long first) {
        return first == 0 ? Double.NaN : (double) last / first;
    }
}
