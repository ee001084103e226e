package io.clearhouse.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import io.clearhouse.api.Reason;
import io.clearhouse.api.Status;
import io.clearhouse.core.batch.BatchResults;
import java.io.IOException;
import java.io.Writer;
import java.util.EnumMap;
import java.util.Map;

/**
 * Streams the batch output document: {@code {"results":[...],"final_state":{...}}}. Each result carries {@code line},
 * {@code transaction_id} (null for an empty id), {@code status} and, on an abort only, {@code reason}.
 */
final class ResultWriter {
    private static final JsonFactory JSON = new JsonFactory();
    private static final SerializedString LINE = new SerializedString("line");
    private static final SerializedString TRANSACTION_ID = new SerializedString("transaction_id");
    private static final SerializedString STATUS = new SerializedString("status");
    private static final SerializedString REASON = new SerializedString("reason");
    /** Names written half a million times are encoded once. */
    private static final Map<Status, SerializedString> STATUS_NAMES = new EnumMap<>(Status.class);

    private static final Map<Reason, SerializedString> REASON_NAMES = new EnumMap<>(Reason.class);

    static {
        for (Status status : Status.values()) {
            STATUS_NAMES.put(status, new SerializedString(status.wireName()));
        }
        for (Reason reason : Reason.values()) {
            REASON_NAMES.put(reason, new SerializedString(reason.name()));
        }
    }

    private ResultWriter() {}

    /**
     * Writes the document and a final newline, then flushes the writer without closing it.
     *
     * @param finalState the posted balances by bank, in the banks' and accounts' order of the initial state
     */
    static void write(Writer out, BatchResults results, Map<String, Map<String, Long>> finalState) throws IOException {
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            json.writeStartObject();
            json.writeArrayFieldStart("results");
            for (int i = 0; i < results.size(); i++) {
                writeResult(json, results, i);
            }
            json.writeEndArray();
            json.writeObjectFieldStart("final_state");
            for (Map.Entry<String, Map<String, Long>> bank : finalState.entrySet()) {
                json.writeObjectFieldStart(bank.getKey());
                for (Map.Entry<String, Long> account : bank.getValue().entrySet()) {
                    json.writeNumberField(account.getKey(), account.getValue());
                }
                json.writeEndObject();
            }
            json.writeEndObject();
            json.writeEndObject();
        }
        out.write('\n');
        out.flush();
    }

    private static void writeResult(JsonGenerator json, BatchResults results, int index) throws IOException {
        json.writeStartObject();
        json.writeFieldName(LINE);
        json.writeNumber(results.lineNumber(index));
        json.writeFieldName(TRANSACTION_ID);
        String transactionId = results.transactionId(index);
        if (transactionId == null) {
            json.writeNull();
        } else {
            json.writeString(transactionId);
        }
        json.writeFieldName(STATUS);
        json.writeString(STATUS_NAMES.get(results.status(index)));
        Reason reason = results.reason(index);
        if (reason != null) {
            json.writeFieldName(REASON);
            json.writeString(REASON_NAMES.get(reason));
        }
        json.writeEndObject();
    }
}
