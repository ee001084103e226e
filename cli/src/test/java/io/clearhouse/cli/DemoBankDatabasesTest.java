package io.clearhouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DemoBankDatabasesTest {
    private static final String POSTGRES_NAME = "[a-z_][a-z0-9_]{0,62}";

    @Test
    void namesTheDatabaseOfAPlainBankIdAfterIt() {
        assertThat(DemoBankDatabases.nameOf("1")).isEqualTo("clearhouse_bank_1");
        assertThat(DemoBankDatabases.nameOf("north_bank")).isEqualTo("clearhouse_bank_north_bank");
    }

    @Test
    void hashesABankIdThatPostgresCouldNotNameAndKeepsIdsApart() {
        String upper = DemoBankDatabases.nameOf("Bank-A");
        String lower = DemoBankDatabases.nameOf("bank-a");
        String longId = DemoBankDatabases.nameOf("b".repeat(48));

        assertThat(upper).matches(POSTGRES_NAME).startsWith("clearhouse_bank_x").isNotEqualTo(lower);
        assertThat(lower).matches(POSTGRES_NAME);
        assertThat(longId).matches(POSTGRES_NAME).hasSize("clearhouse_bank_x".length() + 16);
        assertThat(DemoBankDatabases.nameOf("Bank-A")).isEqualTo(upper);
    }
}
