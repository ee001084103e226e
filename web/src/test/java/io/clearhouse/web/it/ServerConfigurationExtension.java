package io.clearhouse.web.it;

import io.clearhouse.api.Posting;
import io.clearhouse.bank.memory.MemoryBankAdapter;
import io.clearhouse.core.log.DecisionRecord;
import io.clearhouse.log.jpa.JpaDecisionLog;
import io.clearhouse.log.jpa.JpaDecisionLogOptions;
import io.clearhouse.postgres.PostgresDatabase;
import io.clearhouse.postgres.junit.PostgresExtension;
import io.clearhouse.spi.BankAdapter;
import io.clearhouse.spi.Vote;
import io.clearhouse.spi.Xid;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Prepares what the server reads when it starts, once per test JVM and before Arquillian starts Payara Micro
 * (register it before the Arquillian extension): a fresh database in the shared PostgreSQL cluster, the banks file
 * with durable memory banks, the system properties file that {@code arquillian.xml} hands to Micro, and two
 * branches left prepared as a crashed coordinator would leave them, one with a commit decision in the log and one
 * without, for the recovery bean to resolve at deploy.
 */
public final class ServerConfigurationExtension implements BeforeAllCallback {
    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(ServerConfigurationExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent("configured", key -> configure(context));
    }

    private static Boolean configure(ExtensionContext context) {
        Path directory = Path.of(System.getProperty("clearhouse.it.directory", "target/it"));
        PostgresDatabase database = PostgresExtension.sharedDatabase(context).createFresh();
        ServerFiles.recreate(directory);
        Path banksFile = ServerFiles.writeBanksFile(directory, ServerFixture.banks());
        seedInDoubtBranches(directory, database);
        ServerFiles.writeSystemProperties(directory, banksFile, database);
        return Boolean.TRUE;
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
