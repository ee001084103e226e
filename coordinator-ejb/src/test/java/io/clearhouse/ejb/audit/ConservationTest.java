package io.clearhouse.ejb.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The sum of posted balances against opening totals, with what the audit cannot tell left unknown. */
class ConservationTest {
    private static final Instant NOW = Instant.parse("2026-12-07T06:00:00Z");
    private static final Map<String, OpeningTotal> FROM_FILE = Map.of(
            "1", new OpeningTotal(1_000, OpeningTotal.Source.BANKS_FILE),
            "2", new OpeningTotal(500, OpeningTotal.Source.BANKS_FILE));

    @Test
    void conservedWhenPostedBalancesSumToTheOpeningTotal() {
        ConservationReport report = Conservation.check(
                FROM_FILE, List.of(new BankReading.Read("1", 750, 2), new BankReading.Read("2", 750, 1)), true, NOW);

        assertThat(report.expectedTotal()).hasValue(BigInteger.valueOf(1_500));
        assertThat(report.actualTotal()).hasValue(BigInteger.valueOf(1_500));
        assertThat(report.difference()).hasValue(BigInteger.valueOf(0));
        assertThat(report.conserved()).contains(true);
        assertThat(report.violated()).isFalse();
        assertThat(report.checkedAt()).isEqualTo(NOW);
    }

    @Test
    void violatedWhenMoneyWasCreated() {
        ConservationReport report = Conservation.check(
                FROM_FILE, List.of(new BankReading.Read("1", 1_000, 2), new BankReading.Read("2", 520, 1)), true, NOW);

        assertThat(report.difference()).hasValue(BigInteger.valueOf(20));
        assertThat(report.conserved()).contains(false);
        assertThat(report.violated()).isTrue();
    }

    @Test
    void violatedWithANegativeDifferenceWhenMoneyWasLost() {
        ConservationReport report = Conservation.check(
                FROM_FILE, List.of(new BankReading.Read("1", 990, 2), new BankReading.Read("2", 500, 1)), true, NOW);

        assertThat(report.difference()).hasValue(BigInteger.valueOf(-10));
        assertThat(report.violated()).isTrue();
    }

    @Test
    void unknownWhenABankCannotBeRead() {
        ConservationReport report = Conservation.check(
                FROM_FILE,
                List.of(new BankReading.Read("1", 0, 2), new BankReading.Unreadable("2", "connection refused")),
                true,
                NOW);

        assertThat(report.expectedTotal()).hasValue(BigInteger.valueOf(1_500));
        assertThat(report.actualTotal()).isEmpty();
        assertThat(report.difference()).isEmpty();
        assertThat(report.conserved()).isEmpty();
        assertThat(report.violated()).isFalse();
    }

    @Test
    void unknownButWithItsDifferenceWhenTransactionsRanDuringTheRead() {
        // A commit may have reached bank 1 and not yet bank 2: the difference is shown, not taken as proof.
        ConservationReport report = Conservation.check(
                FROM_FILE, List.of(new BankReading.Read("1", 900, 2), new BankReading.Read("2", 500, 1)), false, NOW);

        assertThat(report.difference()).hasValue(BigInteger.valueOf(-100));
        assertThat(report.conserved()).isEmpty();
        assertThat(report.violated()).isFalse();
    }

    @Test
    void unknownWhileABanksOpeningTotalIsUnknown() {
        ConservationReport report = Conservation.check(
                Map.of("1", new OpeningTotal(1_000, OpeningTotal.Source.BANKS_FILE)),
                List.of(new BankReading.Read("1", 1_000, 2), new BankReading.Read("remote", 300, 4)),
                true,
                NOW);

        assertThat(report.expectedTotal()).isEmpty();
        assertThat(report.actualTotal()).hasValue(BigInteger.valueOf(1_300));
        assertThat(report.conserved()).isEmpty();
    }

    @Test
    void learnsARemoteBanksOpeningTotalFromTheFirstSettledAuditOnly() {
        OpeningTotals totals = new OpeningTotals(Map.of("1", BigInteger.valueOf(1_000)));
        List<BankReading> unsettledRead = List.of(new BankReading.Read("1", 900, 2), new BankReading.Read("r", 400, 1));
        assertThat(totals.after(unsettledRead, false)).doesNotContainKey("r");
        assertThat(totals.after(List.of(new BankReading.Unreadable("r", "down")), true))
                .doesNotContainKey("r");

        List<BankReading> settledRead = List.of(new BankReading.Read("1", 1_000, 2), new BankReading.Read("r", 300, 1));
        Map<String, OpeningTotal> learnt = totals.after(settledRead, true);
        assertThat(learnt)
                .containsEntry("1", new OpeningTotal(1_000, OpeningTotal.Source.BANKS_FILE))
                .containsEntry("r", new OpeningTotal(300, OpeningTotal.Source.FIRST_SETTLED_AUDIT));

        List<BankReading> laterRead = List.of(new BankReading.Read("1", 1_000, 2), new BankReading.Read("r", 310, 1));
        ConservationReport report = Conservation.check(totals.after(laterRead, true), laterRead, true, NOW);
        assertThat(report.expectedTotal()).hasValue(BigInteger.valueOf(1_300));
        assertThat(report.difference()).hasValue(BigInteger.valueOf(10));
        assertThat(report.violated()).isTrue();
    }

    @Test
    void sumsBeyondTheLongRangeExactly() {
        // Each account may hold up to 2^63-1, so a bank's total, and the sum over banks, may not fit in a long.
        BigInteger nearMax = BigInteger.valueOf(Long.MAX_VALUE - 17);
        ConservationReport report = Conservation.check(
                Map.of("3", new OpeningTotal(nearMax.add(BigInteger.valueOf(75)), OpeningTotal.Source.BANKS_FILE)),
                List.of(new BankReading.Read("3", nearMax.add(BigInteger.valueOf(75)), 2)),
                true,
                NOW);

        assertThat(report.actualTotal()).hasValue(new BigInteger("9223372036854775865"));
        assertThat(report.conserved()).hasValue(true);
    }
}
