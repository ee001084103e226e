package io.clearhouse.core.batch;

import io.clearhouse.api.Reason;
import io.clearhouse.api.Status;
import io.clearhouse.api.batch.BatchLine;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The batch contract executed the plainest way: one line after the other, on a map of balances. The reference that
 * parallel execution is compared with, here and in the command line's tests.
 */
public final class SerialModel {
    private final Map<String, Long> balances;

    public SerialModel(Map<String, Long> initialBalances) {
        this.balances = new HashMap<>(initialBalances);
    }

    public List<LineResult> run(List<BatchLine> lines) {
        List<LineResult> results = new ArrayList<>();
        for (BatchLine line : lines) {
            Reason reason = line instanceof BatchLine.Transfer transfer ? apply(transfer) : refusal(line);
            Status status = reason == null ? Status.COMMITTED : Status.ABORTED;
            results.add(new LineResult(line.lineNumber(), line.transactionId(), status, reason));
        }
        return results;
    }

    public Map<String, Long> balances() {
        return balances;
    }

    private static Reason refusal(BatchLine line) {
        return ((BatchLine.Refused) line).reason();
    }

    /** Applies a transfer if it may commit; returns why not otherwise. */
    Reason apply(BatchLine.Transfer transfer) {
        Long source = balances.get(transfer.from());
        Long destination = balances.get(transfer.to());
        if (source == null || destination == null) {
            return Reason.UNKNOWN_ACCOUNT;
        }
        if (source < transfer.amount()) {
            return Reason.INSUFFICIENT_FUNDS;
        }
        if (destination > Long.MAX_VALUE - transfer.amount()) {
            return Reason.BALANCE_OVERFLOW;
        }
        balances.put(transfer.from(), source - transfer.amount());
        balances.put(transfer.to(), destination + transfer.amount());
        return null;
    }
}
