package io.clearhouse.bank.jdbc;

import static io.clearhouse.spi.BankInvariants.assertAtRest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clearhouse.api.Posting;
import io.clearhouse.postgres.PostgresCluster;
import io.clearhouse.spi.AccountBalance;
import io.clearhouse.spi.BankAdapter;
import io.clearhouse.spi.BankException;
import io.clearhouse.spi.BranchPrepare;
import io.clearhouse.spi.Vote;
import io.clearhouse.spi.Xid;
import io.clearhouse.xa.ClearhouseXaXids;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.XAConnection;
import javax.transaction.xa.XAResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.xa.PGXADataSource;

/**
 * Mode xa against a PostgreSQL of its own that allows only 3 prepared transactions, so that running out of them is a
 * real refusal of the server. After each test nothing is left prepared but what a test made for another manager, and
 * that is rolled back.
 */
class XaJdbcBankIT {
    private static final String BANK = "bank-1";
    private static final List<Posting> TEN_FROM_A_TO_B = List.of(new Posting("a", -10), new Posting("b", 10));

    private static PostgresCluster cluster;
    private JdbcBankFixture fixture;
    private final List<BankAdapter> banks = new ArrayList<>();

    @BeforeAll
    static void startCluster() {
        cluster = PostgresCluster.startThrowaway(JdbcBankFixture.options(3));
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    @BeforeEach
    void useAFreshDatabase() {
        fixture = new JdbcBankFixture(cluster.database().createFresh());
    }

    @AfterEach
    void closeBanks() throws SQLException {
        banks.forEach(BankAdapter::close);
        fixture.rollBackPrepared();
    }

    private BankAdapter open(Map<String, Long> balances) {
        BankAdapter bank = fixture.open(BANK, balances, fixture.settings(JdbcBankMode.XA));
        banks.add(bank);
        return bank;
    }

    private static Map<String, Long> balances(long a, long b) {
        Map<String, Long> balances = new LinkedHashMap<>();
        balances.put("a", a);
        balances.put("b", b);
        return balances;
    }

    private static Xid xid(String transactionId) {
        return new Xid(transactionId, BANK);
    }

    @Test
    void aPrepareIsAPreparedTransactionThatPgjdbcRecoversInTheDocumentedFormat() throws Exception {
        BankAdapter bank = open(balances(100, 0));

        assertThat(bank.prepare(xid("17.42"), TEN_FROM_A_TO_B)).isEqualTo(Vote.COMMIT);

        assertThat(fixture.preparedGids()).containsExactly("1131169841_MTcuNDI=_YmFuay0x");
        PGXADataSource source = new PGXADataSource();
        source.setUrl(fixture.database().jdbcUrl());
        source.setUser(fixture.database().user());
        source.setPassword(fixture.database().password());
        XAConnection connection = source.getXAConnection();
        try {
            javax.transaction.xa.Xid[] recovered = connection.getXAResource().recover(XAResource.TMSTARTRSCAN);
            assertThat(recovered).hasSize(1);
            assertThat(recovered[0].getFormatId()).isEqualTo(ClearhouseXaXids.FORMAT_ID);
            assertThat(new String(recovered[0].getGlobalTransactionId(), StandardCharsets.UTF_8))
                    .isEqualTo("17.42");
            assertThat(new String(recovered[0].getBranchQualifier(), StandardCharsets.UTF_8))
                    .isEqualTo(BANK);
        } finally {
            connection.close();
        }
        bank.commit(xid("17.42"));
        assertThat(fixture.preparedGids()).isEmpty();
        assertAtRest(bank, balances(90, 10));
    }

    @Test
    void thePreparedTransactionKeepsItsRowLockedUntilCommit() throws Exception {
        BankAdapter bank = open(balances(100, 0));
        bank.prepare(xid("t1"), TEN_FROM_A_TO_B);
        String lockBranchRow = "SELECT * FROM branch WHERE transaction_id = 't1' FOR UPDATE NOWAIT";

        try (Connection outside = fixture.database().connect();
                Statement statement = outside.createStatement()) {
            assertThatThrownBy(() -> statement.execute(lockBranchRow))
                    .isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("55P03"));

            bank.commit(xid("t1"));

            outside.setAutoCommit(false);
            statement.execute(lockBranchRow);
            outside.rollback();
        }
        assertAtRest(bank, balances(90, 10));
    }

    @Test
    void leavesPreparedTransactionsOfOtherManagersAndBanksAlone() throws Exception {
        String otherManager = "other-manager-1";
        String otherBank = BranchGids.gid(new Xid("t1", "bank-9"));
        try (Connection outside = fixture.database().connect();
                Statement statement = outside.createStatement()) {
            statement.execute("SET lock_timeout = '5s'");
            for (String gid : List.of(otherManager, otherBank)) {
                // Each prepared transaction writes a table of its own: a second one would wait for the first's lock.
                statement.execute("BEGIN");
                statement.execute("CREATE TABLE other_manager_" + Math.abs(gid.hashCode()) + " (id int)");
                statement.execute("PREPARE TRANSACTION '" + gid + "'");
            }
        }
        BankAdapter bank = open(balances(100, 0));
        bank.prepare(xid("t1"), TEN_FROM_A_TO_B);

        assertThat(bank.recover()).containsExactly(xid("t1"));
        bank.rollback(xid("t1"));
        bank.close();
        BankAdapter reopened = open(Map.of());

        assertThat(reopened.recover()).isEmpty();
        assertThat(fixture.preparedGids()).containsExactlyInAnyOrder(otherManager, otherBank);
        assertAtRest(reopened, balances(100, 0));
    }

    @Test
    void aPrepareRefusedForWantOfPreparedSlotsHoldsNothingAndFailsItsMessage() {
        BankAdapter bank = open(balances(100, 0));
        List<BranchPrepare> message = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            message.add(new BranchPrepare(xid("t" + i), TEN_FROM_A_TO_B));
        }

        assertThatThrownBy(() -> bank.prepareMany(message).toCompletableFuture().join())
                .hasCauseInstanceOf(BankException.class)
                .hasMessageContaining("maximum number of prepared transactions reached");

        // The message's XA prepares run side by side, so which three found a slot is the database's choice.
        List<Xid> all = message.stream().map(BranchPrepare::xid).toList();
        List<Xid> prepared = List.copyOf(bank.recover());
        assertThat(prepared).hasSize(3).isSubsetOf(all);
        Xid refused =
                all.stream().filter(xid -> !prepared.contains(xid)).findFirst().orElseThrow();
        assertThat(bank.account("a")).contains(new AccountBalance("a", 100, 30));
        bank.rollbackMany(List.of(refused, prepared.get(2)))
                .toCompletableFuture()
                .join();
        bank.commitMany(prepared.subList(0, 2)).toCompletableFuture().join();
        assertThat(bank.prepare(refused, TEN_FROM_A_TO_B))
                .as("the coordinator's rollback of the failed branch stays remembered")
                .isEqualTo(Vote.abort(io.clearhouse.api.Reason.TIMEOUT));
        assertAtRest(bank, balances(80, 20));
    }

    @Test
    void openSettlesWhatACrashBetweenTheStepsLeft() throws Exception {
        BankAdapter bank = open(balances(100, 0));
        bank.prepare(xid("committed-by-the-database"), TEN_FROM_A_TO_B);
        bank.prepare(xid("still-prepared"), TEN_FROM_A_TO_B);
        // What a crash right after COMMIT PREPARED leaves: the database committed, the holds are not yet posted.
        try (Connection outside = fixture.database().connect();
                Statement statement = outside.createStatement()) {
            statement.execute("COMMIT PREPARED '" + BranchGids.gid(xid("committed-by-the-database")) + "'");
        }
        // What a crash between the reservation and PREPARE TRANSACTION leaves: holds and no prepared transaction.
        JdbcBank jdbcBank = (JdbcBank) bank;
        assertThat(jdbcBank.book.reserve(List.of(new BranchPrepare(xid("never-voted"), TEN_FROM_A_TO_B))))
                .containsExactly(new Reserved.Held(xid("never-voted"), true));
        assertThat(bank.account("a")).contains(new AccountBalance("a", 100, 30));
        bank.close();

        BankAdapter reopened = open(Map.of());

        assertThat(reopened.recover()).containsExactly(xid("still-prepared"));
        assertThat(reopened.account("a")).contains(new AccountBalance("a", 90, 10));
        assertThat(reopened.postedBalances()).containsExactlyEntriesOf(balances(90, 10));
        reopened.commit(xid("still-prepared"));
        reopened.commit(xid("committed-by-the-database"));
        assertThat(reopened.prepare(xid("never-voted"), TEN_FROM_A_TO_B))
                .as("a branch released at open was never voted, so its late prepare aborts")
                .isEqualTo(Vote.abort(io.clearhouse.api.Reason.TIMEOUT));
        assertAtRest(reopened, balances(80, 20));
        assertThat(fixture.preparedGids()).isEmpty();
    }
}
