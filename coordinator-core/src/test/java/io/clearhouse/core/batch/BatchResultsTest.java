package io.clearhouse.core.batch;

import static org.assertj.core.api.Assertions.assertThat;

import io.clearhouse.api.Outcome;
import io.clearhouse.api.Reason;
import io.clearhouse.api.Status;
import io.clearhouse.api.batch.BatchLine;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A line's result kept as one byte reads back as the outcome it was made from, whatever the reason. */
class BatchResultsTest {
    @Test
    void everyOutcomeAndEveryRefusalReadsBackUnchanged() {
        List<BatchLine> lines = new ArrayList<>();
        List<Outcome> outcomes = new ArrayList<>();
        lines.add(new BatchLine.Transfer(1, "committed", "a", "b", 1));
        outcomes.add(Outcome.committed("committed"));
        for (Reason reason : Reason.values()) {
            String id = "aborted-" + reason;
            lines.add(new BatchLine.Transfer(lines.size() + 1, id, "a", "b", 1));
            outcomes.add(Outcome.aborted(id, reason));
        }
        int refusedFrom = lines.size();
        for (Reason reason : Reason.values()) {
            lines.add(new BatchLine.Refused(lines.size() + 1, null, reason));
        }
        byte[] codes = new byte[lines.size()];
        for (int i = 0; i < outcomes.size(); i++) {
            codes[i] = BatchResults.code(outcomes.get(i));
        }

        BatchResults results = new BatchResults(lines, codes);

        for (int i = 0; i < outcomes.size(); i++) {
            Outcome outcome = outcomes.get(i);
            assertThat(results.result(i))
                    .isEqualTo(new LineResult(i + 1, outcome.transactionId(), outcome.status(), outcome.reason()));
        }
        for (int i = refusedFrom; i < lines.size(); i++) {
            BatchLine.Refused refused = (BatchLine.Refused) lines.get(i);
            assertThat(results.result(i)).isEqualTo(new LineResult(i + 1, null, Status.ABORTED, refused.reason()));
        }
    }
}
