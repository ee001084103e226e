package io.clearhouse.web.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clearhouse.api.Outcome;
import io.clearhouse.api.Posting;
import io.clearhouse.api.Reason;
import io.clearhouse.api.Transaction;
import io.clearhouse.ejb.console.ConsoleOverview;
import io.clearhouse.ejb.console.RecentTransactions;
import io.clearhouse.ejb.console.Throughput;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The console's overview document: rates, outcomes by every reason, recent transfers and other transactions. */
class ConsoleOverviewBodyTest {
    private static final Instant AT = Instant.parse("2026-12-07T08:00:00Z");

    @Test
    void writesRatesOutcomesAndRecentTransactionsNewestFirst() throws Exception {
        Map<Reason, Long> aborted = new EnumMap<>(Reason.class);
        for (Reason reason : Reason.values()) {
            aborted.put(reason, 0L);
        }
        aborted.put(Reason.INSUFFICIENT_FUNDS, 2L);
        aborted.put(Reason.TIMEOUT, 1L);
        RecentTransactions recent = new RecentTransactions(5);
        recent.record(Transaction.transfer("<script>t-1", "a", "b", 5), Outcome.committed("<script>t-1"), AT);
        recent.record(
                new Transaction("t-2", List.of(new Posting("a", -3), new Posting("b", 1), new Posting("c", 2))),
                Outcome.aborted("t-2", Reason.INSUFFICIENT_FUNDS),
                AT.plusSeconds(1));

        JsonNode body = new ObjectMapper()
                .readTree(ResponseBodies.consoleOverview(new ConsoleOverview(
                        AT.plusSeconds(2), new Throughput.Rates(60, 30, 6), 7, aborted, recent.newestFirst())));

        assertThat(body.get("at").textValue()).isEqualTo("2026-12-07T08:00:02Z");
        assertThat(body.get("throughput").get("window_seconds").intValue()).isEqualTo(60);
        assertThat(body.get("throughput").get("committed_per_second").doubleValue())
                .isEqualTo(0.5);
        assertThat(body.get("throughput").get("aborted_per_second").doubleValue())
                .isEqualTo(0.1);
        assertThat(body.get("outcomes").get("committed").longValue()).isEqualTo(7);
        assertThat(body.get("outcomes").get("aborted").longValue()).isEqualTo(3);
        assertThat(body.get("outcomes").get("aborted_by_reason")).hasSize(Reason.values().length);
        assertThat(body.get("outcomes").get("aborted_by_reason").get("TIMEOUT").longValue())
                .isEqualTo(1);
        JsonNode newest = body.get("recent").get(0);
        assertThat(newest.get("id").textValue()).isEqualTo("t-2");
        assertThat(newest.get("status").textValue()).isEqualTo("aborted");
        assertThat(newest.get("reason").textValue()).isEqualTo("INSUFFICIENT_FUNDS");
        assertThat(newest.get("postings")).hasSize(3);
        JsonNode oldest = body.get("recent").get(1);
        assertThat(oldest.get("id").textValue()).isEqualTo("<script>t-1");
        assertThat(oldest.get("status").textValue()).isEqualTo("committed");
        assertThat(oldest.has("reason")).isFalse();
        assertThat(oldest.get("at").textValue()).isEqualTo("2026-12-07T08:00:00Z");
        assertThat(oldest.get("from").textValue()).isEqualTo("a");
        assertThat(oldest.get("amount").longValue()).isEqualTo(5);
    }
}
