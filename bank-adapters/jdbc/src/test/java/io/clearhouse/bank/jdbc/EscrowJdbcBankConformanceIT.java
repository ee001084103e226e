package io.clearhouse.bank.jdbc;

import io.clearhouse.postgres.PostgresDatabase;
import io.clearhouse.postgres.junit.PostgresExtension;
import io.clearhouse.spi.BankAdapter;
import io.clearhouse.spi.DurableBankAdapterContract;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The conformance kit, unchanged, against a jdbc bank in mode escrow on a real PostgreSQL that the test starts; each
 * test has a database of its own, and a reopen is a new bank instance on the same database.
 */
@ExtendWith(PostgresExtension.class)
class EscrowJdbcBankConformanceIT extends DurableBankAdapterContract {
    private JdbcBankFixture fixture;

    @BeforeEach
    void useAFreshDatabase(PostgresDatabase shared) {
        fixture = new JdbcBankFixture(shared.createFresh());
    }

    @Override
    protected BankAdapter open(String bankId, Map<String, Long> initialBalances) {
        return fixture.open(bankId, initialBalances, fixture.settings(JdbcBankMode.ESCROW));
    }

    @Override
    protected BankAdapter reopen(String bankId, Map<String, Long> initialBalances) {
        return open(bankId, initialBalances);
    }
}
