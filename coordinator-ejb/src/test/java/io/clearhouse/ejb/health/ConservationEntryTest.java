package io.clearhouse.ejb.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.clearhouse.ejb.audit.BankReading;
import io.clearhouse.ejb.audit.Conservation;
import io.clearhouse.ejb.audit.ConservationReport;
import io.clearhouse.ejb.audit.OpeningTotal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The readiness check's conservation entry: DOWN only on a proven difference. */
class ConservationEntryTest {
    private static final Map<String, OpeningTotal> OPENING =
            Map.of("1", new OpeningTotal(1_000, OpeningTotal.Source.BANKS_FILE));

    private static ConservationReport audit(BankReading reading, boolean settled) {
        return Conservation.check(OPENING, List.of(reading), settled, Instant.now());
    }

    @Test
    void staysUpWhenMoneyIsConserved() {
        ConservationReport report = audit(new BankReading.Read("1", 1_000, 2), true);

        assertThat(ConservationEntry.down(report)).isFalse();
        assertThat(ConservationEntry.data(report)).isEqualTo(Map.of("conservation", "conserved"));
    }

    @Test
    void goesDownWithTheDifferenceWhenMoneyWasCreatedOrLost() {
        ConservationReport report = audit(new BankReading.Read("1", 1_250, 2), true);

        assertThat(ConservationEntry.down(report)).isTrue();
        assertThat(ConservationEntry.data(report))
                .isEqualTo(Map.of("conservation", "violated", "conservation_difference", 250L));
    }

    @Test
    void staysUpWhenABankCannotBeRead() {
        ConservationReport report = audit(new BankReading.Unreadable("1", "connection refused"), true);

        assertThat(ConservationEntry.down(report)).isFalse();
        assertThat(ConservationEntry.data(report)).isEqualTo(Map.of("conservation", "unknown"));
    }

    @Test
    void staysUpWhenTransactionsRanDuringTheRead() {
        ConservationReport report = audit(new BankReading.Read("1", 900, 2), false);

        assertThat(ConservationEntry.down(report)).isFalse();
        assertThat(ConservationEntry.data(report)).isEqualTo(Map.of("conservation", "unknown"));
    }
}
