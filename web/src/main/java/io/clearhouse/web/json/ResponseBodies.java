package io.clearhouse.web.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.clearhouse.api.Outcome;
import io.clearhouse.api.Posting;
import io.clearhouse.api.Reason;
import io.clearhouse.api.Status;
import io.clearhouse.core.RecordedTransaction;
import io.clearhouse.core.batch.BatchResults;
import io.clearhouse.core.recovery.InDoubtBranches;
import io.clearhouse.core.recovery.InDoubtReport;
import io.clearhouse.ejb.AccountView;
import io.clearhouse.ejb.SettlementRequest;
import io.clearhouse.ejb.audit.BankReading;
import io.clearhouse.ejb.audit.ConservationReport;
import io.clearhouse.ejb.audit.OpeningTotal;
import io.clearhouse.ejb.console.ConsoleOverview;
import io.clearhouse.ejb.console.RecentTransactions;
import io.clearhouse.ejb.console.Throughput;
import io.clearhouse.ejb.trail.AuditEntry;
import io.clearhouse.ejb.trail.ManualActionResults;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Writes the JSON documents of the REST contract. */
public final class ResponseBodies {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonFactory STREAMING = new JsonFactory();

    private ResponseBodies() {}

    /** {@code {"id","status","reason"?}}. */
    public static String outcome(Outcome outcome) {
        return outcomeNode(outcome).toString();
    }

    /**
     * {@code {"id","status","reason"?,"from","to","amount"}} for a transfer; a transaction of any other shape has
     * {@code "postings"} instead of from, to and amount.
     */
    public static String recorded(RecordedTransaction recorded) {
        ObjectNode node = outcomeNode(recorded.outcome());
        putPostings(node, recorded.postings());
        return node.toString();
    }

    /** {@code "from","to","amount"} for a transfer, {@code "postings"} for a transaction of any other shape. */
    private static void putPostings(ObjectNode node, List<Posting> postings) {
        if (isTransfer(postings)) {
            Posting debit = postings.get(0).amount() < 0 ? postings.get(0) : postings.get(1);
            Posting credit = debit == postings.get(0) ? postings.get(1) : postings.get(0);
            node.put("from", debit.account());
            node.put("to", credit.account());
            node.put("amount", credit.amount());
        } else {
            node.set("postings", postingsNode(postings));
        }
    }

    /**
     * {@code {"at","throughput":{"window_seconds","committed","aborted","committed_per_second",
     * "aborted_per_second"},"outcomes":{"committed","aborted","aborted_by_reason":{REASON: n}},"recent":[{"id",
     * "status","reason"?,"at","from","to","amount"} or {..., "postings"}]}}.
     */
    public static String consoleOverview(ConsoleOverview overview) {
        ObjectNode node = JSON.createObjectNode();
        node.put("at", overview.at().toString());
        Throughput.Rates rates = overview.throughput();
        node.putObject("throughput")
                .put("window_seconds", rates.windowSeconds())
                .put("committed", rates.committed())
                .put("aborted", rates.aborted())
                .put("committed_per_second", rates.committedPerSecond())
                .put("aborted_per_second", rates.abortedPerSecond());
        ObjectNode outcomes = node.putObject("outcomes");
        outcomes.put("committed", overview.committed());
        outcomes.put(
                "aborted",
                overview.abortedByReason().values().stream()
                        .mapToLong(Long::longValue)
                        .sum());
        ObjectNode byReason = outcomes.putObject("aborted_by_reason");
        overview.abortedByReason().forEach((reason, count) -> byReason.put(reason.name(), count));
        ArrayNode recent = node.putArray("recent");
        for (RecentTransactions.RecentTransaction entry : overview.recent()) {
            ObjectNode item = outcomeNode(entry.outcome());
            item.put("at", entry.at().toString());
            putPostings(item, entry.transaction().postings());
            recent.add(item);
        }
        return node.toString();
    }

    /** {@code {"id","status","reason"?,"postings":[{"account","amount"}]}}. */
    public static String recordedTransaction(RecordedTransaction recorded) {
        ObjectNode node = outcomeNode(recorded.outcome());
        node.set("postings", postingsNode(recorded.postings()));
        return node.toString();
    }

    /**
     * {@code {"branches_in_doubt","transactions":[{"transaction_id","global_id","decision","banks"}]}}: what waits
     * for recovery, oldest first.
     */
    public static String inDoubt(List<InDoubtBranches.Transaction> transactions) {
        Instant now = Instant.now();
        ObjectNode node = JSON.createObjectNode();
        node.put(
                "branches_in_doubt",
                transactions.stream()
                        .mapToInt(transaction -> transaction.branches().size())
                        .sum());
        ArrayNode list = node.putArray("transactions");
        for (InDoubtBranches.Transaction transaction : transactions) {
            ObjectNode entry = list.addObject();
            entry.put("transaction_id", transaction.clientId());
            entry.put("global_id", transaction.globalId());
            entry.put("decision", transaction.commit() ? "commit" : "rollback");
            entry.put("in_doubt_since", transaction.inDoubtSince().toString());
            entry.put("age_seconds", transaction.age(now).toMillis() / 1000.0);
            ArrayNode banks = entry.putArray("banks");
            transaction.branches().forEach(xid -> banks.add(xid.bankId()));
        }
        return node.toString();
    }

    /** {@code {"committed","rolled_back","skipped_in_flight","still_in_doubt"}}: what one recovery pass did. */
    public static String recoveryPass(InDoubtReport report) {
        ObjectNode node = JSON.createObjectNode();
        node.put("committed", report.committed());
        node.put("rolled_back", report.rolledBack());
        node.put("skipped_in_flight", report.skippedInFlight());
        node.put("still_in_doubt", report.stillInDoubt());
        return node.toString();
    }

    /**
     * {@code {"audit_id","transaction_id","bank","outcome","heuristic","result":"settled"}}: a settlement by hand the
     * bank acknowledged.
     */
    public static String settled(long auditId, SettlementRequest request, boolean heuristic) {
        ObjectNode node = JSON.createObjectNode();
        node.put("audit_id", auditId);
        node.put("transaction_id", request.transactionId());
        node.put("bank", request.bankId());
        node.put("outcome", ManualActionResults.code(request.outcome()));
        node.put("heuristic", heuristic);
        node.put("result", ManualActionResults.SETTLED);
        return node.toString();
    }

    /**
     * {@code {"entries":[{"id","at","actor","action","transaction_id","bank","outcome","reason","result"}]}}, in the
     * order given; a field that does not apply to an entry is {@code null}.
     */
    public static String auditEntries(List<AuditEntry> entries) {
        ObjectNode node = JSON.createObjectNode();
        ArrayNode list = node.putArray("entries");
        for (AuditEntry entry : entries) {
            ObjectNode item = list.addObject();
            item.put("id", entry.id());
            item.put("at", entry.at().toString());
            item.put("actor", entry.actor());
            item.put("action", entry.action().code());
            item.put("transaction_id", entry.transactionId());
            item.put("bank", entry.bank());
            item.put("outcome", entry.outcome());
            item.put("reason", entry.reason());
            item.put("result", entry.result());
        }
        return node.toString();
    }

    /**
     * {@code {"expected_total","actual_total","difference","conserved","settled","banks":[{"bank","opening_total",
     * "opening_from","status","posted_total"?,"accounts"?,"error"?}],"checked_at"}}; a figure the audit could not tell
     * is {@code null}.
     */
    public static String conservation(ConservationReport report) {
        ObjectNode node = JSON.createObjectNode();
        putOrNull(node, "expected_total", report.expectedTotal());
        putOrNull(node, "actual_total", report.actualTotal());
        putOrNull(node, "difference", report.difference());
        report.conserved()
                .ifPresentOrElse(conserved -> node.put("conserved", conserved), () -> node.putNull("conserved"));
        node.put("settled", report.settled());
        ArrayNode banks = node.putArray("banks");
        for (BankReading reading : report.banks()) {
            ObjectNode bank = banks.addObject().put("bank", reading.bankId());
            OpeningTotal opening = report.openingTotals().get(reading.bankId());
            if (opening == null) {
                bank.putNull("opening_total");
                bank.putNull("opening_from");
            } else {
                bank.put("opening_total", opening.total());
                bank.put("opening_from", opening.source().name().toLowerCase(Locale.ROOT));
            }
            if (reading instanceof BankReading.Read read) {
                bank.put("status", "read");
                bank.put("posted_total", read.postedTotal());
                bank.put("accounts", read.accounts());
            } else if (reading instanceof BankReading.Unreadable unreadable) {
                bank.put("status", "unreadable");
                bank.put("error", unreadable.reason());
            }
        }
        node.put("checked_at", report.checkedAt().toString());
        return node.toString();
    }

    private static void putOrNull(ObjectNode node, String field, Optional<BigInteger> value) {
        if (value.isPresent()) {
            node.put(field, value.get());
        } else {
            node.putNull(field);
        }
    }

    private static boolean isTransfer(List<Posting> postings) {
        return postings.size() == 2
                && postings.get(0).amount() != 0
                && postings.get(0).amount() == -postings.get(1).amount();
    }

    private static ArrayNode postingsNode(List<Posting> postings) {
        ArrayNode array = JSON.createArrayNode();
        for (Posting posting : postings) {
            array.addObject().put("account", posting.account()).put("amount", posting.amount());
        }
        return array;
    }

    private static ObjectNode outcomeNode(Outcome outcome) {
        ObjectNode node = JSON.createObjectNode();
        node.put("id", outcome.transactionId());
        node.put("status", statusName(outcome.status()));
        if (outcome.reason() != null) {
            node.put("reason", outcome.reason().name());
        }
        return node;
    }

    /** {@code {"account","bank","balance","held"}}: the posted balance and the amount held by prepared debits. */
    public static String account(AccountView view) {
        ObjectNode node = JSON.createObjectNode();
        node.put("account", view.balance().account());
        node.put("bank", view.bankId());
        node.put("balance", view.balance().posted());
        node.put("held", view.balance().held());
        return node.toString();
    }

    /** Posted balances in the batch command's {@code final_state} shape. */
    public static String state(Map<String, Map<String, Long>> state) {
        return JSON.valueToTree(state).toString();
    }

    /** The batch command's document: {@code results} in line order, then {@code final_state}. */
    public static void batch(BatchResults results, Map<String, Map<String, Long>> finalState, OutputStream out)
            throws IOException {
        try (JsonGenerator json = STREAMING.createGenerator(out)) {
            json.writeStartObject();
            json.writeArrayFieldStart("results");
            for (int index = 0; index < results.size(); index++) {
                json.writeStartObject();
                json.writeNumberField("line", results.lineNumber(index));
                json.writeStringField("transaction_id", results.transactionId(index));
                json.writeStringField("status", statusName(results.status(index)));
                Reason reason = results.reason(index);
                if (reason != null) {
                    json.writeStringField("reason", reason.name());
                }
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeFieldName("final_state");
            JSON.writeTree(json, JSON.valueToTree(finalState));
            json.writeEndObject();
        }
    }

    private static String statusName(Status status) {
        return status.name().toLowerCase(Locale.ROOT);
    }
}
