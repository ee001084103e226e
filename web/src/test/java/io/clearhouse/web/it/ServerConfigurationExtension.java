package io.clearhouse.web.it;

import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
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
        try {
            deleteRecursively(directory);
            Files.createDirectories(directory);
            Path banksFile = writeBanksFile(directory);
            seedInDoubtBranches(directory, database);
            writeSystemProperties(directory, banksFile, database);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Boolean.TRUE;
    }

    private static Path writeBanksFile(Path directory) throws IOException {
        List<Map<String, Object>> banks = new ArrayList<>();
        ServerFixture.banks().forEach((bankId, accounts) -> {
            Map<String, Object> bank = new LinkedHashMap<>();
            bank.put("id", bankId);
            bank.put("type", "memory");
            bank.put(
                    "settings",
                    Map.of("directory", bankDirectory(directory, bankId).toString()));
            bank.put("accounts", accounts);
            banks.add(bank);
        });
        Path file = directory.resolve("banks.json");
        new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(file.toFile(), Map.of("banks", banks));
        return file;
    }

    private static Path bankDirectory(Path directory, String bankId) {
        return directory.resolve("banks").resolve(bankId).toAbsolutePath();
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
        return MemoryBankAdapter.durable(bankId, banks.get(bankId), bankDirectory(directory, bankId), true);
    }

    private static void expectCommitVote(Vote vote) {
        if (!(vote instanceof Vote.Commit)) {
            throw new IllegalStateException("seeding a prepared branch failed: " + vote);
        }
    }

    private static void writeSystemProperties(Path directory, Path banksFile, PostgresDatabase database)
            throws IOException {
        Properties properties = new Properties();
        properties.setProperty("clearhouse.jdbc.url", database.jdbcUrl());
        properties.setProperty("clearhouse.jdbc.user", database.user());
        properties.setProperty("clearhouse.jdbc.password", database.password());
        properties.setProperty(
                "clearhouse.banks.file", banksFile.toAbsolutePath().toString());
        properties.setProperty("clearhouse.recovery.interval-seconds", "1");
        try (var out = Files.newBufferedWriter(directory.resolve("clearhouse.properties"))) {
            properties.store(out, "written by ServerConfigurationExtension");
        }
    }

    private static void deleteRecursively(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
