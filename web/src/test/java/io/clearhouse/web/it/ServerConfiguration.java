package io.clearhouse.web.it;

import io.clearhouse.api.Posting;
import io.clearhouse.bank.memory.MemoryBankAdapter;
import io.clearhouse.core.log.DecisionRecord;
import io.clearhouse.log.jpa.JpaDecisionLog;
import io.clearhouse.log.jpa.JpaDecisionLogOptions;
import io.clearhouse.postgres.PostgresCluster;
import io.clearhouse.postgres.PostgresDatabase;
import io.clearhouse.postgres.PostgresOptions;
import io.clearhouse.spi.BankAdapter;
import io.clearhouse.spi.Vote;
import io.clearhouse.spi.Xid;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Prepares what the server reads when it starts, once per test JVM and before Arquillian starts Payara Micro for
 * the first test class (a launcher session listener, registered in {@code META-INF/services}, so no test class has to
 * remember it, and it never runs inside the container): a throwaway PostgreSQL cluster with a fresh database, the banks file
 * with durable memory banks, the system properties file that {@code arquillian.xml} hands to Micro, and two
 * branches left prepared as a crashed coordinator would leave them, one with a commit decision in the log and one
 * without, for the recovery bean to resolve at deploy.
 */
public final class ServerConfiguration implements LauncherSessionListener {
    private PostgresCluster cluster;

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        String directory = System.getProperty("clearhouse.it.directory");
        if (directory == null) {
            return;
        }
        cluster = PostgresCluster.throwawayOrExisting(PostgresOptions.defaults());
        PostgresDatabase database = cluster.database().createFresh();
        Path root = Path.of(directory);
        ServerFiles.recreate(root);
        Path banksFile = ServerFiles.writeBanksFile(root, ServerFixture.banks());
        seedInDoubtBranches(root, database);
        ServerFiles.writeSystemProperties(root, banksFile, database);
    }

    @Override
    public void launcherSessionClosed(LauncherSession session) {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** Leaves bank 1 and 2 as a coordinator that crashed after preparing, and after deciding one commit, would. */
    private static void seedInDoubtBranches(Path directory, PostgresDatabase database) {
        Map<String, Map<String, Long>> banks = ServerFixture.banks();
        try (JpaDecisionLog log = JpaDecisionLog.open(
                database.jdbcUrl(), database.user(), database.password(), JpaDecisionLogOptions.defaults())) {
            String committedId = log.incarnation() + ".1";
            String abandonedId = log.incarnation() + ".2";
            List<Posting> committedPostings = List.of(
                    new Posting(ServerFixture.RECOVERED_DEBIT, -ServerFixture.SEEDED_AMOUNT),
                    new Posting(ServerFixture.RECOVERED_CREDIT, ServerFixture.SEEDED_AMOUNT));
            try (BankAdapter bank1 = openBank(directory, "1", banks);
                    BankAdapter bank2 = openBank(directory, "2", banks)) {
                expectCommitVote(bank1.prepare(new Xid(committedId, "1"), committedPostings.subList(0, 1)));
                expectCommitVote(bank2.prepare(new Xid(committedId, "2"), committedPostings.subList(1, 2)));
                expectCommitVote(bank1.prepare(
                        new Xid(abandonedId, "1"), List.of(new Posting(ServerFixture.ROLLED_BACK_DEBIT, -100))));
            }
            log.appendDurably(new DecisionRecord.CommitDecision(
                            committedId, ServerFixture.SEEDED_COMMIT_ID, committedPostings, List.of("1", "2")))
                    .join();
        }
    }

    private static BankAdapter openBank(Path directory, String bankId, Map<String, Map<String, Long>> banks) {
        return MemoryBankAdapter.durable(bankId, banks.get(bankId), ServerFiles.bankDirectory(directory, bankId), true);
    }

    private static void expectCommitVote(Vote vote) {
        if (!(vote instanceof Vote.Commit)) {
            throw new IllegalStateException("seeding a prepared branch failed: " + vote);
        }
    }
}
