package io.clearhouse.bank.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clearhouse.api.Posting;
import io.clearhouse.api.Reason;
import io.clearhouse.spi.Vote;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReservationsTest {
    private static Map<String, AccountRow> rows(AccountRow... rows) {
        Map<String, AccountRow> map = new HashMap<>();
        for (AccountRow row : rows) {
            map.put(row.id(), row);
        }
        return map;
    }

    @Test
    void refusesInTheMemoryBanksOrder() {
        Reservations reservations =
                new Reservations(rows(new AccountRow("a", 10, 0, 0), new AccountRow("full", Long.MAX_VALUE, 0, 0)));

        assertThat(reservations.reserve(List.of(new Posting("a", -1), new Posting("a", 1))))
                .isEqualTo(Vote.abort(Reason.SAME_ACCOUNT));
        assertThat(reservations.reserve(List.of(new Posting("a", -11), new Posting("x", 11))))
                .isEqualTo(Vote.abort(Reason.UNKNOWN_ACCOUNT));
        assertThat(reservations.reserve(List.of(new Posting("full", 1), new Posting("a", -11))))
                .isEqualTo(Vote.abort(Reason.INSUFFICIENT_FUNDS));
        assertThat(reservations.reserve(List.of(new Posting("a", Long.MIN_VALUE))))
                .isEqualTo(Vote.abort(Reason.INSUFFICIENT_FUNDS));
        assertThat(reservations.changed()).isEmpty();
    }

    @Test
    void laterBranchesOfAMessageSeeTheHoldsOfEarlierOnes() {
        AccountRow a = new AccountRow("a", 100, 0, 0);
        Reservations reservations = new Reservations(rows(a, new AccountRow("b", 0, 0, 0)));

        assertThat(reservations.reserve(List.of(new Posting("a", -60), new Posting("b", 60))))
                .isEqualTo(Vote.COMMIT);
        assertThat(reservations.reserve(List.of(new Posting("a", -41))))
                .isEqualTo(Vote.abort(Reason.INSUFFICIENT_FUNDS));
        assertThat(reservations.reserve(List.of(new Posting("a", -40)))).isEqualTo(Vote.COMMIT);

        assertThat(a.held()).isEqualTo(100);
        assertThat(reservations.changed()).extracting(AccountRow::id).containsExactlyInAnyOrder("a", "b");
    }

    @Test
    void postingOrReleasingMoreThanHeldIsABug() {
        Reservations reservations = new Reservations(rows(new AccountRow("a", 100, 10, 0)));

        assertThatThrownBy(() -> reservations.post(List.of(new Posting("a", -11))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("account a");
        assertThatThrownBy(() -> reservations.release(List.of(new Posting("a", 5))))
                .isInstanceOf(IllegalStateException.class);
    }
}
