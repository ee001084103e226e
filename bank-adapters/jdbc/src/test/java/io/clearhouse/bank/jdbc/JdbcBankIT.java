package io.clearhouse.bank.jdbc;

import static io.clearhouse.spi.BankInvariants.assertAtRest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clearhouse.api.Posting;
import io.clearhouse.banks.BanksFile;
import io.clearhouse.banks.OpenBanks;
import io.clearhouse.postgres.PostgresDatabase;
import io.clearhouse.postgres.junit.PostgresExtension;
import io.clearhouse.spi.AccountBalance;
import io.clearhouse.spi.BankAdapter;
import io.clearhouse.spi.BankException;
import io.clearhouse.spi.BranchPrepare;
import io.clearhouse.spi.Vote;
import io.clearhouse.spi.Xid;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** What the conformance kit does not cover: opening, settings against a real database, lock waits, messages. */
@ExtendWith(PostgresExtension.class)
class JdbcBankIT {
    private static final List<Posting> TEN_FROM_A_TO_B = List.of(new Posting("a", -10), new Posting("b", 10));

    @TempDir
    Path directory;

    private JdbcBankFixture fixture;
    private final List<BankAdapter> banks = new ArrayList<>();

    @BeforeEach
    void useAFreshDatabase(PostgresDatabase shared) {
        fixture = new JdbcBankFixture(shared.createFresh());
    }

    @AfterEach
    void closeBanks() throws Exception {
        banks.forEach(BankAdapter::close);
        fixture.rollBackPrepared();
    }

    private BankAdapter open(String bankId, Map<String, Long> balances, Map<String, String> settings) {
        BankAdapter bank = fixture.open(bankId, balances, settings);
        banks.add(bank);
        return bank;
    }

    private static Map<String, Long> balances(Object... accountsAndBalances) {
        Map<String, Long> balances = new LinkedHashMap<>();
        for (int i = 0; i < accountsAndBalances.length; i += 2) {
            balances.put((String) accountsAndBalances[i], (Long) accountsAndBalances[i + 1]);
        }
        return balances;
    }

    @Test
    void opensBalancesOnlyIntoAnEmptyTableAndReadsTheAccountsFromTheDatabase() {
        Map<String, String> settings = fixture.settings(JdbcBankMode.ESCROW);
        BankAdapter first = open("bank-1", balances("b", 0L, "a", 100L), settings);
        first.prepare(new Xid("t1", "bank-1"), TEN_FROM_A_TO_B);
        first.commit(new Xid("t1", "bank-1"));
        first.close();

        BankAdapter listedNone = open("bank-1", Map.of(), settings);
        BankAdapter listedOthers = open("bank-1", balances("c", 5L), settings);

        assertThat(listedNone.accounts()).containsExactlyInAnyOrder("a", "b");
        assertAtRest(listedNone, balances("b", 10L, "a", 90L));
        assertThat(listedOthers.accounts()).containsExactlyInAnyOrder("a", "b");
        assertThat(listedOthers.account("c")).isEmpty();
    }

    @Test
    void banksInTwoSchemasOfOneDatabaseKeepApart() {
        BankAdapter one =
                open("bank-1", balances("a", 100L, "b", 0L), fixture.settings(JdbcBankMode.XA, "schema", "one"));
        BankAdapter two = open("bank-2", balances("c", 7L), fixture.settings(JdbcBankMode.XA, "schema", "two"));

        assertThat(one.prepare(new Xid("t1", "bank-1"), TEN_FROM_A_TO_B)).isEqualTo(Vote.COMMIT);
        assertThat(two.prepare(new Xid("t1", "bank-2"), List.of(new Posting("c", -7))))
                .isEqualTo(Vote.COMMIT);

        assertThat(one.recover()).containsExactly(new Xid("t1", "bank-1"));
        assertThat(two.recover()).containsExactly(new Xid("t1", "bank-2"));
        one.commit(new Xid("t1", "bank-1"));
        two.rollback(new Xid("t1", "bank-2"));
        assertAtRest(one, balances("a", 90L, "b", 10L));
        assertAtRest(two, balances("c", 7L));
    }

    @Test
    void refusesASchemaThatHoldsAnotherBanksLedger() {
        open("bank-1", balances("a", 1L), fixture.settings(JdbcBankMode.ESCROW));

        assertThatThrownBy(() -> open("bank-2", balances("z", 1L), fixture.settings(JdbcBankMode.ESCROW)))
                .isInstanceOf(BankException.class)
                .hasMessageContaining("bank bank-2: schema public holds the ledger of bank bank-1");
    }

    @Test
    void anUnreachableDatabaseIsAnErrorNamingTheBankAndTheUrl() {
        String url = "jdbc:postgresql://127.0.0.1:1/nowhere";

        assertThatThrownBy(() -> open("bank-1", Map.of(), fixture.settings(JdbcBankMode.ESCROW, "url", url)))
                .isInstanceOf(BankException.class)
                .hasMessageStartingWith("bank bank-1: cannot create or upgrade the ledger in schema public of " + url);
    }

    @ParameterizedTest
    @EnumSource(JdbcBankMode.class)
    void aPrepareThatWaitsForALockedAccountFailsAtTheLockTimeoutAndHoldsNothing(JdbcBankMode mode) throws Exception {
        BankAdapter bank = open(
                "bank-1",
                balances("a", 100L, "b", 0L),
                fixture.settings(mode, "lock-timeout-millis", "200", "statement-timeout-millis", "5000"));
        Xid xid = new Xid("t1", "bank-1");
        try (Connection holder = fixture.database().connect();
                Statement statement = holder.createStatement()) {
            holder.setAutoCommit(false);
            statement.execute("SELECT * FROM account WHERE id = 'a' FOR UPDATE");
            long startNanos = System.nanoTime();

            assertThatThrownBy(() -> bank.prepare(xid, TEN_FROM_A_TO_B))
                    .isInstanceOf(BankException.class)
                    .hasMessageContaining("lock timeout")
                    .hasMessageContaining("55P03");

            assertThat((System.nanoTime() - startNanos) / 1_000_000).isLessThan(4_000);
            holder.rollback();
        }
        assertAtRest(bank, balances("a", 100L, "b", 0L));
        assertThat(bank.prepare(xid, TEN_FROM_A_TO_B)).isEqualTo(Vote.COMMIT);
        bank.commit(xid);
        assertAtRest(bank, balances("a", 90L, "b", 10L));
        assertThat(fixture.preparedGids()).isEmpty();
    }

    @Test
    void theBranchesOfAPrepareMessageShareOneDatabaseTransaction() {
        BankAdapter bank = open("bank-1", balances("a", 1_000L, "b", 0L), fixture.settings(JdbcBankMode.ESCROW));
        List<BranchPrepare> message = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            message.add(new BranchPrepare(new Xid("t" + i, "bank-1"), TEN_FROM_A_TO_B));
        }
        long before = bank.forcedWrites();

        List<Vote> votes = bank.prepareMany(message).toCompletableFuture().join();

        assertThat(votes).hasSize(50).containsOnly(Vote.COMMIT);
        assertThat(bank.forcedWrites() - before).isEqualTo(1);
        assertThat(bank.account("a")).contains(new AccountBalance("a", 1_000, 500));
        bank.commitMany(message.stream().map(BranchPrepare::xid).toList())
                .toCompletableFuture()
                .join();
        assertThat(bank.forcedWrites() - before).isEqualTo(2);
        assertAtRest(bank, balances("a", 500L, "b", 500L));
    }

    @Test
    void refusesABranchWithMorePostingsThanTheLimit() {
        BankAdapter bank = open(
                "bank-1",
                balances("a", 100L, "b", 0L),
                fixture.settings(JdbcBankMode.ESCROW, "postings-per-branch-max", "1"));

        assertThatThrownBy(() -> bank.prepare(new Xid("t1", "bank-1"), TEN_FROM_A_TO_B))
                .isInstanceOf(BankException.class)
                .hasMessageContaining("has 2 postings, more than postings-per-branch-max (1)");
        assertAtRest(bank, balances("a", 100L, "b", 0L));
    }

    @Test
    void aBanksFileOpensAJdbcBankByItsType() throws Exception {
        PostgresDatabase database = fixture.database();
        Path file = directory.resolve("banks.json");
        Files.writeString(
                file,
                "{\"banks\": [{\"id\": \"pg-1\", \"type\": \"jdbc\", \"settings\": {"
                        + "\"url\": \"" + database.jdbcUrl() + "\", \"user\": \"" + database.user()
                        + "\", \"password\": \""
                        + database.password() + "\", \"schema\": \"bank_pg_1\", \"mode\": \"xa\"},"
                        + " \"accounts\": {\"alice\": 50, \"bob\": 0}}]}");

        try (OpenBanks open = OpenBanks.open(BanksFile.read(file), getClass().getClassLoader())) {
            BankAdapter bank = open.byId().get("pg-1");
            Xid xid = new Xid("t1", "pg-1");

            assertThat(bank).isInstanceOf(XaJdbcBank.class);
            assertThat(bank.prepare(xid, List.of(new Posting("alice", -20), new Posting("bob", 20))))
                    .isEqualTo(Vote.COMMIT);
            bank.commit(xid);
            assertAtRest(bank, balances("alice", 30L, "bob", 20L));
        }
    }
}
