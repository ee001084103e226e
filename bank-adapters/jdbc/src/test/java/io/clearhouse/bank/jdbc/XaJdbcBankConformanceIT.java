package io.clearhouse.bank.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.clearhouse.postgres.PostgresCluster;
import io.clearhouse.spi.BankAdapter;
import io.clearhouse.spi.DurableBankAdapterContract;
import io.clearhouse.xa.ClearhouseXaXids;
import java.sql.SQLException;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * The conformance kit, unchanged, against a jdbc bank in mode xa on a real PostgreSQL that the test starts, with 256
 * prepared transactions allowed (the kit holds 100 branches prepared at once). After each test, what {@code recover()} would still list must be exactly what
 * PostgreSQL holds prepared; those are rolled back so that tests do not use up the server's prepared slots.
 */
class XaJdbcBankConformanceIT extends DurableBankAdapterContract {
    private static PostgresCluster cluster;
    private JdbcBankFixture fixture;

    @BeforeAll
    static void startCluster() {
        cluster = PostgresCluster.throwawayOrExisting(JdbcBankFixture.options(256));
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    @BeforeEach
    void useAFreshDatabase() {
        fixture = new JdbcBankFixture(cluster.database().createFresh());
    }

    @Override
    protected BankAdapter open(String bankId, Map<String, Long> initialBalances) {
        return fixture.open(bankId, initialBalances, fixture.settings(JdbcBankMode.XA));
    }

    @Override
    protected BankAdapter reopen(String bankId, Map<String, Long> initialBalances) {
        return open(bankId, initialBalances);
    }

    @AfterEach
    void releasePreparedSlots() throws SQLException {
        assertThat(fixture.preparedGids()).allMatch(gid -> gid.startsWith(ClearhouseXaXids.FORMAT_ID + "_"));
        fixture.rollBackPrepared();
    }
}
